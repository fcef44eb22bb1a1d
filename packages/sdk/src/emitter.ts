// A small typed event emitter that runs in browsers and Node alike (no node:events). SDK layer.

type Listener<T> = (event: T) => void

/** Typed `on`/`off`/`once`; a listener that throws does not stop the others. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>()

  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(listener as Listener<never>)
    return () => this.off(name, listener)
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners.get(name)?.delete(listener as Listener<never>)
  }

  /** The next event of that name. */
  once<K extends keyof Events>(name: K): Promise<Events[K]> {
    return new Promise((resolve) => {
      const stop = this.on(name, (event) => {
        stop()
        resolve(event)
      })
    })
  }

  protected emit<K extends keyof Events>(name: K, event: Events[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        ;(listener as Listener<Events[K]>)(event)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }
}

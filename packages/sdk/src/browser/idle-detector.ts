// Idle detection for a browser device: the page hidden, or no input for a while, makes the device
// idle; input (or the page shown again) makes it active. SDK browser layer; events and timers injectable.
import type { Timers } from '../live/narvaro-live.js'

/** The part of `window`/`document` the detector listens to (the real ones, or fakes in tests). */
export interface EventTargetLike {
  addEventListener(type: string, listener: () => void, options?: { passive?: boolean }): void
  removeEventListener(type: string, listener: () => void): void
}

export interface IdleDetectorOptions {
  /** No input for this long makes the device idle. Default 5 minutes. */
  readonly idleAfterMs?: number
  /** Where input events arrive; `window` by default. */
  readonly target?: EventTargetLike
  /** Whose `visibilityState` and `visibilitychange` count; `document` by default. */
  readonly document?: EventTargetLike & { readonly visibilityState: string }
  readonly timers?: Timers
  readonly now?: () => number
  /** Called with `true` when the device turns idle, `false` when it is active again. */
  readonly onChange: (idle: boolean) => void
}

/** The events that count as the person being there. */
export const inputEvents = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'scroll',
] as const

export interface IdleDetector {
  readonly idle: boolean
  stop(): void
}

/** Starts watching; the device starts active (it was just opened or used). */
export const detectIdle = (options: IdleDetectorOptions): IdleDetector => {
  const target = options.target ?? (globalThis as unknown as { window: EventTargetLike }).window
  const doc =
    options.document ??
    (globalThis as unknown as { document: IdleDetectorOptions['document'] }).document
  if (!target || !doc) throw new Error('detectIdle runs in a browser (or pass target and document)')
  const idleAfterMs = options.idleAfterMs ?? 5 * 60_000
  const timers = options.timers ?? {
    setTimeout: (f, ms) => setTimeout(f, ms),
    clearTimeout: (h) => clearTimeout(h as number),
  }
  const now = options.now ?? (() => Date.now())
  let idle = false
  let lastInput = now()
  let timer: unknown

  const set = (value: boolean) => {
    if (value === idle) return
    idle = value
    options.onChange(value)
  }
  const check = () => {
    timer = undefined
    const quietFor = now() - lastInput
    if (quietFor >= idleAfterMs) return set(true)
    timer = timers.setTimeout(check, idleAfterMs - quietFor)
  }
  const onInput = () => {
    lastInput = now()
    if (doc.visibilityState === 'hidden') return
    set(false)
    if (timer === undefined) timer = timers.setTimeout(check, idleAfterMs)
  }
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') return set(true)
    onInput()
  }
  for (const type of inputEvents) target.addEventListener(type, onInput, { passive: true })
  doc.addEventListener('visibilitychange', onVisibility)
  if (doc.visibilityState === 'hidden') set(true)
  else timer = timers.setTimeout(check, idleAfterMs)

  return {
    get idle() {
      return idle
    },
    stop: () => {
      timers.clearTimeout(timer)
      for (const type of inputEvents) target.removeEventListener(type, onInput)
      doc.removeEventListener('visibilitychange', onVisibility)
    },
  }
}

// Collects the warnings of one calendar import, each once and only so many; app layer.

export const MAX_WARNINGS = 50

export class WarningLog {
  readonly #messages = new Set<string>()
  #dropped = false

  add(message: string): void {
    if (this.#messages.has(message)) return
    if (this.#messages.size < MAX_WARNINGS) this.#messages.add(message)
    else this.#dropped = true
  }

  list(): readonly string[] {
    const messages = [...this.#messages]
    return this.#dropped ? [...messages, 'more warnings were left out'] : messages
  }
}

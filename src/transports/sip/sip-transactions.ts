// The gateway's client transactions (RFC 3261 §17.1.2, non-INVITE): a request it sends (a NOTIFY) is
// matched with its final response by Call-ID and CSeq; over UDP it is sent again at 0.5, 1, 2, 4, 4...
// seconds until an answer, and after 32 seconds it counts as 408. Transport layer.
import type { SipResponse } from './sip-message.js'

const timerT1 = 500
const timerT2 = 4_000
const timerF = 32_000

/** How often transactions past their 32 s are looked for (one timer for all, not one each). */
const sweepMs = 1_000

interface Pending {
  readonly resolve: (status: number) => void
  retransmit?: NodeJS.Timeout
  /** When it counts as 408 (monotonic ms); entries are in the order of their deadlines. */
  readonly deadline: number
}

export class SipTransactions {
  private readonly pending = new Map<string, Pending>()
  private sweeper: NodeJS.Timeout | undefined
  /** Set by `stop`: the listeners are closing, and nothing more is sent or sent again. */
  private stopped = false

  /**
   * Sends `text` with `write` and resolves with the final status (408 when none came, and at once,
   * unsent, once the gateway stopped: a request finished after that has no socket left).
   */
  send(
    text: string,
    key: { callId: string; cseq: number },
    write: (text: string) => void,
    reliable: boolean,
  ): Promise<number> {
    if (this.stopped) return Promise.resolve(408)
    const id = `${key.callId}\n${key.cseq}`
    return new Promise((resolve) => {
      const done = (status: number) => {
        const entry = this.pending.get(id)
        if (!entry) return
        this.pending.delete(id)
        clearTimeout(entry.retransmit)
        resolve(status)
      }
      const entry: Pending = { resolve: done, deadline: performance.now() + timerF }
      this.pending.set(id, entry)
      this.sweeper ??= setInterval(() => this.sweep(), sweepMs).unref()
      write(text)
      if (reliable) return
      const again = (interval: number) => {
        entry.retransmit = setTimeout(() => {
          write(text)
          again(Math.min(interval * 2, timerT2))
        }, interval)
        entry.retransmit.unref()
      }
      again(timerT1)
    })
  }

  /** A response: a final one ends its transaction; a provisional one only stops the resending. */
  answered(response: SipResponse): void {
    const cseq = /^(\d+)/.exec(response.headers.get('cseq') ?? '')?.[1]
    const id = `${response.headers.get('call-id') ?? ''}\n${cseq ?? ''}`
    const entry = this.pending.get(id)
    if (!entry) return
    clearTimeout(entry.retransmit)
    if (response.status >= 200) entry.resolve(response.status)
  }

  /** Ends the transactions past their deadline with 408 (the oldest come first). */
  private sweep(): void {
    const now = performance.now()
    for (const entry of this.pending.values()) {
      if (entry.deadline > now) break
      entry.resolve(408)
    }
    if (this.pending.size === 0) {
      clearInterval(this.sweeper)
      this.sweeper = undefined
    }
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.sweeper)
    this.sweeper = undefined
    for (const entry of [...this.pending.values()]) entry.resolve(408)
  }
}

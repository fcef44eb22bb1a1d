// The live client's liveness check: after a quiet spell it pings; a ping unanswered for a moment
// makes the connection `stale`, and for longer, dead. SDK layer; timers injected.
import type { Timers } from './live-options.js'

export interface HeartbeatTimes {
  /** Nothing arrived for this long: ping. */
  readonly quietMs: number
  /** No answer this long after the ping: the connection is stale (the app may show it). */
  readonly staleAfterMs: number
  /** No answer this long after the ping: the connection is dead. */
  readonly deadAfterMs: number
}

export interface HeartbeatActions {
  ping(): void
  stale(): void
  dead(): void
}

export class Heartbeat {
  private handles: unknown[] = []

  constructor(
    private readonly timers: Timers,
    private readonly actions: HeartbeatActions,
  ) {}

  /** Something arrived: the connection is alive; the next check starts from now. */
  beat(times: HeartbeatTimes): void {
    this.stop()
    this.handles.push(
      this.timers.setTimeout(() => {
        this.actions.ping()
        this.handles.push(
          this.timers.setTimeout(() => this.actions.stale(), times.staleAfterMs),
          this.timers.setTimeout(() => this.actions.dead(), times.deadAfterMs),
        )
      }, times.quietMs),
    )
  }

  stop(): void {
    for (const handle of this.handles.splice(0)) this.timers.clearTimeout(handle)
  }
}

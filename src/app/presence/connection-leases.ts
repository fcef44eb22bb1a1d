// Publications that live as long as a connection: when it drops they end after a grace period, unless
// the device reconnects in time (a flapping network causes no storm of offline/online); app layer.
import type { Clock, TimerHandle } from '../../ports/clock.js'

/** A source's key among the leases: its presentity's address and its id. */
export const leaseKey = (address: string, sourceId: string): string => `${address}\n${sourceId}`

interface Lease {
  connectionId: string
  grace?: TimerHandle
}

export class ConnectionLeases {
  private readonly leases = new Map<string, Lease>()

  constructor(
    private readonly clock: Clock,
    private readonly gracePeriodMs: number,
    private readonly retract: (address: string, sourceId: string) => void,
  ) {}

  /**
   * The connection now owns the source's publication; a pending end of it is called off. `key` is
   * the source's `leaseKey`, when the caller has it made already.
   */
  claim(
    address: string,
    sourceId: string,
    connectionId: string,
    key = leaseKey(address, sourceId),
  ): void {
    const lease = this.leases.get(key)
    // Held already by this connection with no end pending: each publication of a connected device
    // comes here, and a new lease for each would only be garbage.
    if (lease !== undefined && lease.connectionId === connectionId && lease.grace === undefined)
      return
    lease?.grace?.cancel()
    this.leases.set(key, { connectionId })
  }

  /** The connection stopped publishing for the source by itself: no grace. */
  drop(address: string, sourceId: string, connectionId: string): boolean {
    const key = `${address}\n${sourceId}`
    if (this.leases.get(key)?.connectionId !== connectionId) return false
    this.leases.delete(key)
    return true
  }

  /** The connection is gone: each source it still owns ends after the grace period. */
  release(address: string, sourceIds: Iterable<string>, connectionId: string): void {
    for (const sourceId of sourceIds) {
      const key = `${address}\n${sourceId}`
      const lease = this.leases.get(key)
      if (lease?.connectionId !== connectionId) continue
      const end = () => {
        if (this.leases.get(key) !== lease) return
        this.leases.delete(key)
        this.retract(address, sourceId)
      }
      if (this.gracePeriodMs === 0) end()
      else lease.grace = this.clock.setTimer(this.gracePeriodMs, end)
    }
  }

  /** Forgets the leases of one presentity (its user was removed): no grace timer fires for it. */
  forget(address: string): void {
    const prefix = `${address}\n`
    for (const [key, lease] of this.leases) {
      if (!key.startsWith(prefix)) continue
      lease.grace?.cancel()
      this.leases.delete(key)
    }
  }

  /** Ends every leased publication at once (shutdown). */
  clear(): void {
    for (const lease of this.leases.values()) lease.grace?.cancel()
    this.leases.clear()
  }
}

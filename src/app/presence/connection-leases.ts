// Publications that live as long as a connection: when it drops they end after a grace period, unless
// the device reconnects in time (a flapping network causes no storm of offline/online); app layer.
import type { Clock, TimerHandle } from '../../ports/clock.js'

/** A source's key among the leases: its presentity's address and its id. */
export const leaseKey = (address: string, sourceId: string): string => `${address}\n${sourceId}`

interface Lease {
  connectionId: string
  /** When its grace period ends, once its connection is gone. */
  endsAt?: number
}

/** A released lease waiting for its grace period to end. */
interface Ending {
  readonly lease: Lease
  readonly key: string
  readonly address: string
  readonly sourceId: string
}

/** Past this many ended entries at its front, the queue is cut (not at each entry: a copy each time). */
const queueSlack = 1024

export class ConnectionLeases {
  private readonly leases = new Map<string, Lease>()
  /**
   * Released leases in the order they were released, which is the order their grace periods end
   * (one period for all): one timer, for the first, instead of one per lease (a timer, its closures
   * and its handle outlived the young generation, and a reconnect storm's thousands of closes each
   * made one that the session's return then cancelled). A lease claimed again or forgotten stays
   * in the queue and is passed over when its turn comes; `next` is where the queue begins.
   */
  private ending: Ending[] = []
  private next = 0
  private timer: TimerHandle | undefined

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
    if (lease !== undefined && lease.connectionId === connectionId && lease.endsAt === undefined)
      return
    this.leases.set(key, { connectionId })
  }

  /** The connection stopped publishing for the source by itself: no grace. */
  drop(address: string, sourceId: string, connectionId: string): boolean {
    const key = leaseKey(address, sourceId)
    if (this.leases.get(key)?.connectionId !== connectionId) return false
    this.leases.delete(key)
    return true
  }

  /** The connection is gone: each source it still owns ends after the grace period. */
  release(address: string, sourceIds: Iterable<string>, connectionId: string): void {
    for (const sourceId of sourceIds) {
      const key = leaseKey(address, sourceId)
      const lease = this.leases.get(key)
      if (lease?.connectionId !== connectionId || lease.endsAt !== undefined) continue
      if (this.gracePeriodMs === 0) {
        this.leases.delete(key)
        this.retract(address, sourceId)
        continue
      }
      lease.endsAt = this.clock.now() + this.gracePeriodMs
      this.ending.push({ lease, key, address, sourceId })
    }
    this.arm()
  }

  /** A timer for the first lease in the queue, unless one is set or the queue is empty. */
  private arm(): void {
    if (this.timer !== undefined || this.next >= this.ending.length) return
    const first = this.ending[this.next]!.lease.endsAt ?? 0
    this.timer = this.clock.setTimer(Math.max(0, first - this.clock.now()), () => {
      this.timer = undefined
      this.endDue()
    })
  }

  /**
   * Ends every lease at the queue's front whose grace period is over and that no connection claimed
   * again, in order. (A wall clock set back between two releases can leave a lease behind a later
   * one by that much: it ends with it.)
   */
  private endDue(): void {
    const now = this.clock.now()
    while (this.next < this.ending.length) {
      const { lease, key, address, sourceId } = this.ending[this.next]!
      if ((lease.endsAt ?? 0) > now) break
      this.next++
      if (this.leases.get(key) !== lease) continue
      this.leases.delete(key)
      this.retract(address, sourceId)
    }
    if (this.next >= queueSlack && this.next * 2 >= this.ending.length) {
      this.ending = this.ending.slice(this.next)
      this.next = 0
    }
    this.arm()
  }

  /** Forgets the leases of one presentity (its user was removed): no grace period ends for it. */
  forget(address: string): void {
    const prefix = `${address}\n`
    for (const key of this.leases.keys()) if (key.startsWith(prefix)) this.leases.delete(key)
  }

  /** Ends every leased publication at once (shutdown). */
  clear(): void {
    this.timer?.cancel()
    this.timer = undefined
    this.ending = []
    this.next = 0
    this.leases.clear()
  }
}

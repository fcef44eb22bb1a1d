// Direct requests from a serverless peer's person (a chat or a call to someone on the link): sent
// over the direct connection to that person's own peer, whose core answers from the view it
// computes for the caller (accepted, busy, or unavailable with the note). A server that is no peer
// has no direct connections. App layer.
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { ContactKind } from '../../core/model/presence-model.js'
import type { DirectAnswer } from '../../core/reach/answer-direct.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { PresenceStore } from '../../ports/store.js'

/** Asks the peer of the person at `address`; undefined when there is no connection to it. */
export type DirectDialer = (address: string, kind: ContactKind) => Promise<DirectAnswer | undefined>

export class DirectRequests {
  private dialer: DirectDialer | undefined

  constructor(private readonly store: Pick<PresenceStore, 'getUserByAddress'>) {}

  /**
   * The party a caller on the link is here (a direct connection, a link-local chat): the person of
   * `organizationId` at `address`, or undefined for someone the link never showed.
   */
  async callerOf(address: string, organizationId: string): Promise<Party | undefined> {
    const user = await this.store.getUserByAddress(address)
    return user && user.organizationId === organizationId
      ? { address: user.address, organizationId }
      : undefined
  }

  /** The peer's connections, once the link runs (and `undefined` when it stops). */
  attach(dialer: DirectDialer | undefined): void {
    this.dialer = dialer
  }

  async request(rawAddress: string, kind: ContactKind): Promise<DirectAnswer> {
    const address = normalizeAddress(rawAddress)
    if (!this.dialer)
      throw new NarvaroError('NRV_NOT_FOUND', 'direct requests are made by a serverless peer only')
    const answer = await this.dialer(address, kind)
    if (!answer)
      throw new NarvaroError('NRV_NOT_FOUND', `no direct connection to ${address}'s peer now`)
    return answer
  }
}

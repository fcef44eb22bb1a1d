// In a cluster, a gathering lives on the node where its organizer started it (its timer, its
// invitations as people become free); the other nodes keep a copy of it from the change channel, so
// that an invitee or the organizer reaching another node can see it, answer or cancel it there: the
// answer or cancellation goes to the holder on the channel. App layer.
import type { ChangeBus, GatheringEvent, SharedGathering } from '../../ports/bus.js'
import type { Gathering, InvitationAnswer } from './gather-service.js'

/** What the holder does with a request that reached another node. */
export interface GatheringHolder {
  holds(id: string): boolean
  answer(invitee: string, id: string, answer: InvitationAnswer): void
  cancelHeld(id: string): void
}

const fromShared = (shared: SharedGathering): Gathering => ({
  ...shared,
  invitees: new Map(shared.invitees),
})

export const toShared = (gathering: Gathering): SharedGathering => ({
  id: gathering.id,
  organizer: gathering.organizer,
  topic: gathering.topic,
  createdAt: gathering.createdAt,
  expiresAt: gathering.expiresAt,
  inviteLater: gathering.inviteLater,
  invitees: [...gathering.invitees].map(([address, { state, at }]) => [address, { state, at }]),
})

export class GatheringCopies {
  private readonly copies = new Map<string, Gathering>()
  private readonly unsubscribe: () => void

  constructor(
    private readonly deps: {
      readonly node: string
      readonly bus: ChangeBus
      readonly holder: GatheringHolder
      readonly onError: (error: unknown) => void
    },
  ) {
    this.unsubscribe = deps.bus.subscribe((event) => {
      if (event.type === 'gathering-state' || event.type === 'gathering-request')
        this.receive(event)
    })
  }

  private receive(event: GatheringEvent): void {
    const { holder } = this.deps
    if (event.type === 'gathering-state') {
      if (event.holder === this.deps.node) return
      if (event.gathering) this.copies.set(event.id, fromShared(event.gathering))
      else this.copies.delete(event.id)
      return
    }
    if (!holder.holds(event.id)) return
    const { request } = event
    try {
      if (request.kind === 'cancel') holder.cancelHeld(event.id)
      else holder.answer(request.invitee, event.id, request.answer)
    } catch {
      // The invitation ended meanwhile: nothing to do, as on the holder itself.
    }
  }

  /** Tells the other nodes the gathering's state (or that it ended). */
  share(id: string, gathering: Gathering | undefined): void {
    const event: GatheringEvent = {
      type: 'gathering-state',
      holder: this.deps.node,
      id,
      ...(gathering ? { gathering: toShared(gathering) } : {}),
    }
    this.deps.bus.publish(event).catch(this.deps.onError)
  }

  /** A gathering another node holds. */
  get(id: string): Gathering | undefined {
    return this.copies.get(id)
  }

  all(): Iterable<Gathering> {
    return this.copies.values()
  }

  /** Asks the holder to apply an answer or a cancellation made here. */
  request(
    id: string,
    request: Extract<GatheringEvent, { type: 'gathering-request' }>['request'],
  ): void {
    this.deps.bus.publish({ type: 'gathering-request', id, request }).catch(this.deps.onError)
  }

  close(): void {
    this.unsubscribe()
    this.copies.clear()
  }
}

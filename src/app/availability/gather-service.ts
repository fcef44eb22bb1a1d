// Quick meetings ("gather"): invite, in real time, only the people of a team or list who are free
// to join now in the organizer's own views; optionally invite the others the moment they become
// free, or leave them alone; invitees accept or decline and the organizer sees each answer live.
// Gatherings live in memory for their short life (an hour by default); app layer.
import { randomUUID } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import type { Party } from '../../core/policy/decide-permissions.js'
import type { ChangeBus, GatheringFacts, PolicyScope } from '../../ports/bus.js'
import type { Clock, TimerHandle } from '../../ports/clock.js'
import type { AvailabilityService, MemberSelection } from './availability-service.js'
import type { WatchHub } from '../watching/index.js'
import { onPolicyChanged, onPresenceChanged } from '../shared/index.js'
import { isOwner } from '../../core/policy/effective-handling.js'
import { GatheringCopies } from './gathering-copies.js'

export const invitationStates = ['invited', 'waiting', 'accepted', 'declined'] as const
export type InvitationState = (typeof invitationStates)[number]
export type InvitationAnswer = 'accept' | 'decline'

export interface Gathering extends GatheringFacts {
  /** Every person asked about, by address; `waiting` ones have not been told anything. */
  readonly invitees: ReadonlyMap<string, { readonly state: InvitationState; readonly at: number }>
}

interface Live {
  gathering: Gathering
  readonly organizer: Party
  readonly invitees: Map<string, { state: InvitationState; at: number }>
  readonly timer: TimerHandle
}

const maxLifetimeMs = 8 * 3_600_000
const maxOpenPerOrganizer = 20

export class GatherService {
  private readonly live = new Map<string, Live>()
  private readonly unsubscribe: (() => void)[]
  /** In a cluster: the gatherings other nodes hold. */
  private readonly copies: GatheringCopies | undefined

  constructor(
    private readonly deps: {
      readonly availability: AvailabilityService
      readonly hub: WatchHub
      readonly bus: ChangeBus
      readonly clock: Clock
      readonly cluster?: { readonly node: string; readonly onError: (error: unknown) => void }
    },
  ) {
    if (deps.cluster) {
      const holder = {
        holds: (id: string) => this.live.has(id),
        answer: (invitee: string, id: string, answer: InvitationAnswer) =>
          void this.answer(invitee, id, answer),
        cancelHeld: (id: string) => this.end(id, 'cancelled'),
      }
      this.copies = new GatheringCopies({ ...deps.cluster, bus: deps.bus, holder })
    }
    this.unsubscribe = [
      onPresenceChanged(deps.bus, (event) => this.onChange(event.address)),
      // A policy change can make someone free in the organizer's view with no presence change.
      onPolicyChanged(deps.bus, (scope) => this.onPolicyChange(scope)),
    ]
  }

  /** Starts a gathering: invites who is free now, and remembers the others when `inviteLater`. */
  async start(
    organizer: Party,
    input: { selection: MemberSelection; topic: string; inviteLater: boolean; expiresInMs: number },
  ): Promise<Gathering> {
    const now = this.deps.clock.now()
    this.requireRoom(organizer, input.expiresInMs)
    const members = await this.invitable(organizer, input.selection)
    const id = randomUUID()
    const live: Live = {
      gathering: undefined as unknown as Gathering,
      organizer,
      invitees: new Map(
        members.map((address) => [address, { state: 'waiting' as InvitationState, at: now }]),
      ),
      timer: this.deps.clock.setTimer(input.expiresInMs, () => this.end(id, 'expired')),
    }
    live.gathering = {
      id,
      organizer: organizer.address,
      topic: input.topic,
      createdAt: now,
      expiresAt: now + input.expiresInMs,
      inviteLater: input.inviteLater,
      invitees: live.invitees,
    }
    this.live.set(id, live)
    for (const address of members) this.inviteIfFree(live, address)
    if (!input.inviteLater) {
      for (const [address, invitee] of live.invitees)
        if (invitee.state === 'waiting') live.invitees.delete(address)
    }
    this.copies?.share(id, live.gathering)
    return live.gathering
  }

  /** A lifetime from 1 minute to 8 hours, and room for one more open gathering of the organizer. */
  private requireRoom(organizer: Party, expiresInMs: number): void {
    if (expiresInMs < 60_000 || expiresInMs > maxLifetimeMs) {
      throw new NarvaroError('NRV_VALIDATION', 'a gathering lasts from 1 minute to 8 hours')
    }
    const open = [...this.live.values(), ...this.copiesOf()].filter(
      (l) => l.organizer.address === organizer.address,
    ).length
    if (open >= maxOpenPerOrganizer) {
      throw new NarvaroError(
        'NRV_RATE_LIMITED',
        `at most ${maxOpenPerOrganizer} open gatherings at once`,
      )
    }
  }

  /** Only people the organizer may know of: an outsider who blocks them is as if not there. */
  private async invitable(organizer: Party, selection: MemberSelection): Promise<string[]> {
    const members = (await this.deps.availability.members(organizer, selection)).filter(
      (address) =>
        !isOwner(organizer, { address }) &&
        this.deps.availability.entryOf(organizer, address) !== undefined,
    )
    if (members.length === 0) throw new NarvaroError('NRV_VALIDATION', 'nobody to invite')
    return members
  }

  /** The gatherings other nodes of a cluster hold, as this node's copies show them. */
  private copiesOf(): { organizer: { address: string }; gathering: Gathering }[] {
    return [...(this.copies?.all() ?? [])].map((gathering) => ({
      organizer: { address: gathering.organizer },
      gathering,
    }))
  }

  /** A gathering, held here or (in a cluster) on another node. */
  private find(id: string): Gathering | undefined {
    return this.live.get(id)?.gathering ?? this.copies?.get(id)
  }

  /** A gathering as its organizer sees it (NRV_NOT_FOUND for anyone else). */
  get(organizer: string, id: string): Gathering {
    const gathering = this.find(id)
    if (!gathering || gathering.organizer !== organizer)
      throw new NarvaroError('NRV_NOT_FOUND', `no gathering ${id} of yours`)
    return gathering
  }

  /** The invitations a person has received and not yet answered, or answered, in open gatherings. */
  invitationsOf(address: string): { gathering: Gathering; state: InvitationState }[] {
    const result: { gathering: Gathering; state: InvitationState }[] = []
    const all = [...[...this.live.values()].map((l) => l.gathering), ...(this.copies?.all() ?? [])]
    for (const gathering of all) {
      const invitee = gathering.invitees.get(address)
      if (invitee && invitee.state !== 'waiting') result.push({ gathering, state: invitee.state })
    }
    return result
  }

  /**
   * An invitee accepts or declines; the organizer is told at once. In a cluster, an answer to a
   * gathering another node holds goes there on the change channel.
   */
  answer(invitee: string, id: string, answer: InvitationAnswer): InvitationState {
    const live = this.live.get(id)
    const current = this.find(id)?.invitees.get(invitee)
    // Someone not (yet) invited cannot tell a gathering exists.
    if (!current || current.state === 'waiting') {
      throw new NarvaroError('NRV_NOT_FOUND', `no invitation ${id} for you`)
    }
    const state: InvitationState = answer === 'accept' ? 'accepted' : 'declined'
    if (!live) {
      this.copies?.request(id, { kind: 'answer', invitee, answer })
      return state
    }
    live.invitees.set(invitee, { state, at: this.deps.clock.now() })
    // The other nodes' copies first, on the same ordered channel as the message to the organizer:
    // whoever hears the answer on any node finds it in that node's copy (as for an invitation).
    this.copies?.share(id, live.gathering)
    this.tellOrganizer(live, invitee, state)
    return state
  }

  /** The organizer ends a gathering; invitees who were told are told it is cancelled. */
  cancel(organizer: string, id: string): void {
    this.get(organizer, id)
    if (this.live.has(id)) this.end(id, 'cancelled')
    else this.copies?.request(id, { kind: 'cancel' })
  }

  /**
   * A removed user's gatherings end (invitees are told it is cancelled), and they leave the
   * invitees of others' gatherings, as an address nobody has.
   */
  forgetUser(address: string): void {
    for (const [id, live] of [...this.live]) {
      if (live.organizer.address === address) this.end(id, 'cancelled')
      else if (live.invitees.delete(address)) this.copies?.share(id, live.gathering)
    }
  }

  private inviteIfFree(live: Live, address: string): void {
    const entry = this.deps.availability.entryOf(live.organizer, address)
    if (
      !entry ||
      !this.deps.availability.matches(live.organizer, entry, { availableForMeeting: true })
    )
      return
    live.invitees.set(address, { state: 'invited', at: this.deps.clock.now() })
    const { gathering } = live
    this.copies?.share(gathering.id, gathering)
    this.deps.hub.notifyUser(address, {
      type: 'invitation',
      gathering: gathering.id,
      organizer: gathering.organizer,
      topic: gathering.topic,
      expiresAt: gathering.expiresAt,
    })
    this.tellOrganizer(live, address, 'invited')
  }

  private tellOrganizer(live: Live, address: string, state: InvitationState): void {
    this.deps.hub.notifyUser(live.organizer.address, {
      type: 'gathering',
      gathering: live.gathering.id,
      address,
      state,
    })
  }

  private onChange(address: string): void {
    for (const live of this.live.values()) {
      if (live.gathering.inviteLater && live.invitees.get(address)?.state === 'waiting')
        this.inviteIfFree(live, address)
    }
  }

  /** Invites the waiting people a policy change can have made free in their organizer's view. */
  private onPolicyChange(scope: PolicyScope): void {
    if (scope.kind === 'presentity') return this.onChange(scope.address)
    if (scope.kind === 'pair') return this.onChange(scope.presentity)
    for (const live of [...this.live.values()]) {
      if (!live.gathering.inviteLater) continue
      if (scope.kind === 'watcher' && live.organizer.address !== scope.address) continue
      for (const [address, invitee] of [...live.invitees]) {
        if (invitee.state === 'waiting') this.inviteIfFree(live, address)
      }
    }
  }

  private end(id: string, reason: 'expired' | 'cancelled'): void {
    const live = this.live.get(id)
    if (!live) return
    this.live.delete(id)
    live.timer.cancel()
    this.copies?.share(id, undefined)
    for (const [address, invitee] of live.invitees) {
      if (invitee.state === 'invited' || invitee.state === 'accepted') {
        this.deps.hub.notifyUser(address, { type: 'invitation-ended', gathering: id, reason })
      }
    }
    this.deps.hub.notifyUser(live.organizer.address, {
      type: 'gathering-ended',
      gathering: id,
      reason,
    })
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe()
    this.copies?.close()
    for (const live of this.live.values()) live.timer.cancel()
    this.live.clear()
  }
}

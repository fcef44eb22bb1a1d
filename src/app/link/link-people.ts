// The people a peer finds on its link (serverless mode): each link-local instance (`juliet@pronto`)
// is a person of the peer's own organization, at a stable address made from the instance
// (`juliet.pronto@local`), added the first time it is seen (a member who cannot sign in), watched by
// the peer's person, and present through one source while the link shows it: its TXT status and
// message, retracted on its goodbye or when it stopped answering. App layer.
import type { SourcePublicationInput } from '../presence/index.js'
import type { PresenceService } from '../presence/index.js'
import type { SubscriptionService } from '../watching/index.js'
import type { UserService } from '../accounts/index.js'
import type { PresenceStore, User } from '../../ports/store.js'

/** The source a link-local person's presence comes through. */
export const linkSourceId = 'link'

/**
 * The address of the instance `user@machine` in the organization `domain`: its parts in lower case
 * joined by a dot, other characters as `-` (stable, so that rules about it keep holding).
 */
export const addressOfInstance = (instance: string, domain: string): string => {
  const local = instance
    .toLowerCase()
    .replace('@', '.')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 64)
    .replace(/[^a-z0-9]+$/, '')
  return `${local || 'peer'}@${domain}`
}

interface Present {
  readonly user: User
  /** The state of the person's last TXT record. */
  readonly txt: SourcePublicationInput
  /** What was published last, and when: a sighting renews it only when a third of its time is gone. */
  readonly state: string
  readonly at: number
}

export class LinkPeople {
  /** Instances seen, by address: what is published for them now. */
  private readonly present = new Map<string, Present>()
  /** What a direct connection shows of a person (their own peer's view for ours), by address. */
  private readonly viewed = new Map<string, SourcePublicationInput | 'offline'>()
  /** Sightings of one address are taken one after another (the first one adds the person). */
  private readonly queues = new Map<string, Promise<void>>()

  constructor(
    private readonly deps: {
      readonly store: PresenceStore
      readonly users: UserService
      readonly presence: PresenceService
      readonly subscriptions: SubscriptionService
      /** The peer's person: adds the people found and watches them. */
      readonly person: User
      readonly domain: string
      /** The source their presence comes through here (`link` for the link's people). */
      readonly sourceId?: string
      /** How long a sighting holds without another one (the browser's refresh, with a margin). */
      readonly ttlMs: number
      readonly now: () => number
    },
  ) {}

  private get sourceId(): string {
    return this.deps.sourceId ?? linkSourceId
  }

  /**
   * An instance on the link (each answer that shows it), with its name and state: added and watched
   * the first time, published when its state changed or its publication is a third through its life.
   */
  seen(instance: string, displayName: string, state: SourcePublicationInput): Promise<void> {
    const address = addressOfInstance(instance, this.deps.domain)
    if (address === this.deps.person.address) return Promise.resolve()
    return this.enqueue(address, () => this.take(address, displayName, state))
  }

  private enqueue(address: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(address) ?? Promise.resolve()).then(task)
    const settled = next.catch(() => undefined)
    this.queues.set(address, settled)
    void settled.then(() => {
      if (this.queues.get(address) === settled) this.queues.delete(address)
    })
    return next
  }

  /**
   * The view a person's own peer sends over a direct connection: richer than their TXT record, it
   * stands for them while the connection lasts (`undefined`: it ended).
   */
  direct(instance: string, state: SourcePublicationInput | 'offline' | undefined): void {
    const address = addressOfInstance(instance, this.deps.domain)
    if (state === undefined) this.viewed.delete(address)
    else this.viewed.set(address, state)
    const known = this.present.get(address)
    if (!known) return
    if (state === 'offline') return void this.deps.presence.retractSource(known.user, this.sourceId)
    const republish = () => this.take(address, known.user.displayName, known.txt, true)
    void this.enqueue(address, republish)
  }

  /** Publishes what stands for the person now, unless it was published lately (or `force`). */
  private async take(
    address: string,
    displayName: string,
    txtState: SourcePublicationInput,
    force = false,
  ) {
    const direct = this.viewed.get(address)
    if (direct === 'offline') return
    const state = direct ?? txtState
    const now = this.deps.now()
    const key = JSON.stringify([displayName, state])
    const known = this.present.get(address)
    if (!force && known && known.state === key && now - known.at < this.deps.ttlMs / 3) return
    const user =
      known && known.user.displayName === displayName
        ? known.user
        : await this.userFor(address, displayName)
    this.present.set(address, { user, txt: txtState, state: key, at: now })
    const source = { id: this.sourceId, kind: 'device' as const }
    const changed = force || known?.state !== key
    await this.deps.presence.publishSource(user, source, {
      ...state,
      active: changed,
      ttlMs: this.deps.ttlMs,
    })
  }

  /**
   * Everyone present published again as last seen, where a third of their publication's life is
   * gone (a source that shows people only on change renews them while it lives).
   */
  renew(): void {
    for (const [address, { user, txt }] of this.present)
      void this.enqueue(address, () => this.take(address, user.displayName, txt))
  }

  /** An instance that said goodbye or stopped answering: offline to everyone at once. */
  gone(instance: string): void {
    const address = addressOfInstance(instance, this.deps.domain)
    const known = this.present.get(address)
    if (!known) return
    this.present.delete(address)
    this.deps.presence.retractSource(known.user, this.sourceId)
  }

  private async userFor(address: string, displayName: string): Promise<User> {
    const { store, users, subscriptions, person } = this.deps
    let user = await store.getUserByAddress(address)
    if (!user) ({ user } = await users.add(person, { address, displayName, role: 'member' }))
    else if (user.displayName !== displayName)
      user = await users.updateProfile(user, { displayName })
    await subscriptions.subscribeMany(person, [address])
    return user
  }

  /** Every link-local person offline (the peer stops). */
  clear(): void {
    for (const { user } of this.present.values())
      this.deps.presence.retractSource(user, this.sourceId)
    this.present.clear()
  }
}

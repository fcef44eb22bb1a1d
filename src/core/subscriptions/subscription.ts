// Subscriptions of watchers to presentities and the changes delivered over them; core layer.
import type { View } from '../policy/compute-view.js'
import type { SubscriptionHandling } from '../policy/permissions.js'

export const subscriptionStates = ['active', 'pending', 'denied'] as const
/** `active`: views flow; `pending`: waiting for the presentity's approval; `denied`: refused by them. */
export type SubscriptionState = (typeof subscriptionStates)[number]

export interface Subscription {
  readonly watcherAddress: string
  readonly presentityAddress: string
  readonly state: SubscriptionState
  readonly createdAt: number
}

export type SubscriptionDecision =
  | { readonly outcome: 'subscribed'; readonly state: SubscriptionState }
  | { readonly outcome: 'not-found' }

// The three answers, made once: every watch asks (`isHiddenFrom`).
const subscribedActive: SubscriptionDecision = Object.freeze({
  outcome: 'subscribed',
  state: 'active',
})
const subscribedPending: SubscriptionDecision = Object.freeze({
  outcome: 'subscribed',
  state: 'pending',
})
const notFound: SubscriptionDecision = Object.freeze({ outcome: 'not-found' })

/**
 * Turns a subscription handling into what the watcher is told. A block answers exactly like an
 * address that does not exist; a polite block looks like an accepted subscription.
 */
export const decideSubscription = (handling: SubscriptionHandling): SubscriptionDecision => {
  switch (handling) {
    case 'allow':
    case 'polite-block':
      return subscribedActive
    case 'confirm':
      return subscribedPending
    case 'block':
      return notFound
  }
}

/** A change to one watcher's view of one presentity: the only kind of notification. */
export interface ViewChange {
  readonly address: string
  /** The presentity's sequence number of the presence this view was computed from. */
  readonly seq: number
  readonly view: View
}

/**
 * What a stored subscription becomes after the presentity's rules changed (docs/privacy.md,
 * "Decisions"). An approval is voided by a later block or polite-block, so lifting it again never
 * silently restores access: the watcher is pending again. An active watcher whose handling became
 * `confirm` and whom the presentity never approved falls back to pending. Anything else stays.
 */
export const settleSubscription = (current: {
  readonly state: SubscriptionState
  readonly handling: SubscriptionHandling
  readonly approved: boolean
}): { readonly state: SubscriptionState; readonly approved: boolean } => {
  const { state, handling, approved } = current
  if (approved && (handling === 'block' || handling === 'polite-block')) {
    return { state: state === 'active' ? 'pending' : state, approved: false }
  }
  if (state === 'active' && handling === 'confirm' && !approved)
    return { state: 'pending', approved }
  return current
}

/** A new request never undoes a denial: a denied watcher asking again stays denied. */
export const requestedState = (
  previous: SubscriptionState | undefined,
  decided: SubscriptionState,
): SubscriptionState => (previous === 'denied' && decided === 'pending' ? 'denied' : decided)

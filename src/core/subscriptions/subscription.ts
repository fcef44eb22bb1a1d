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

/**
 * Turns a subscription handling into what the watcher is told. A block answers exactly like an
 * address that does not exist; a polite block looks like an accepted subscription.
 */
export const decideSubscription = (handling: SubscriptionHandling): SubscriptionDecision => {
  switch (handling) {
    case 'allow':
    case 'polite-block':
      return { outcome: 'subscribed', state: 'active' }
    case 'confirm':
      return { outcome: 'subscribed', state: 'pending' }
    case 'block':
      return { outcome: 'not-found' }
  }
}

/** A change to one watcher's view of one presentity: the only kind of notification. */
export interface ViewChange {
  readonly address: string
  /** The presentity's sequence number of the presence this view was computed from. */
  readonly seq: number
  readonly view: View
}

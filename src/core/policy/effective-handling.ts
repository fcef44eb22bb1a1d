// How the policy engine's decision is answered to one watcher: the owner, an approval and a
// colleague's block, each decided here once for every service and transport; core layer.
import type { Permissions, SubscriptionHandling } from './permissions.js'
import { nothing } from './permissions.js'

/** Whoever the parties are, only their addresses decide ownership. */
interface Addressed {
  readonly address: string
}

/**
 * The owner sees everything of themselves: their own presence is never filtered, and what they are
 * sent of it is not a disclosure to audit.
 */
export const isOwner = (watcher: Addressed, presentity: Addressed): boolean =>
  watcher.address === presentity.address

/**
 * The handling a watcher is answered with. A colleague's block reads as polite-block: the
 * directory shows a colleague that the person exists anyway, so a block could only stand out; to
 * a colleague it is an ordinary offline with no grants. To a watcher of another organization a
 * block stays a block, answered as for an address nobody has.
 */
export const effectiveHandling = (
  handling: SubscriptionHandling,
  parties: { readonly sameOrganization: boolean },
): SubscriptionHandling =>
  handling === 'block' && parties.sameOrganization ? 'polite-block' : handling

/** A `confirm` subscription that the presentity approved counts as `allow`. */
export const approvedHandling = (
  handling: SubscriptionHandling,
  approval: { readonly approved: boolean },
): SubscriptionHandling => (handling === 'confirm' && approval.approved ? 'allow' : handling)

const politeNothing: Permissions = { ...nothing, subscription: 'polite-block' }

/**
 * What a watcher may see, from the policy engine's decision: an approved confirm becomes allow, and
 * a colleague's block becomes polite-block with no grant at all (never the grants of the block).
 */
export const answeredPermissions = (
  decided: Permissions,
  parties: { readonly approved: boolean; readonly sameOrganization: boolean },
): Permissions => {
  const approved = approvedHandling(decided.subscription, parties)
  if (approved !== decided.subscription) return { ...decided, subscription: approved }
  if (
    effectiveHandling(decided.subscription, parties) === 'polite-block' &&
    decided.subscription === 'block'
  ) {
    return politeNothing
  }
  return decided
}

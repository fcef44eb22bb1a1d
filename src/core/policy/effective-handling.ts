// What a `block` means depends on who asks: one rule, decided here for every service; core layer.
import type { SubscriptionHandling } from './permissions.js'

/**
 * The handling a watcher is answered with. A colleague's block reads as polite-block: the
 * directory shows a colleague that the person exists anyway, so a block could only stand out; to
 * a colleague it is an ordinary offline with no grants. To a watcher of another organization a
 * block stays a block, answered as for an address nobody has.
 */
export const effectiveHandling = (
  handling: SubscriptionHandling,
  parties: { readonly sameOrganization: boolean },
): SubscriptionHandling => (handling === 'block' && parties.sameOrganization ? 'polite-block' : handling)

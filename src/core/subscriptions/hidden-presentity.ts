// Hidden looks exactly like missing: one decision and one answer for every service that is asked
// about a presentity, so that policy can never be used to learn who exists; core layer.
import { NarvaroError, type NarvaroErrorOptions } from '../errors.js'
import type { Permissions } from '../policy/permissions.js'
import { decideSubscription } from './subscription.js'

/**
 * Whether the asker must be answered as if the presentity did not exist: nobody has the address
 * (no permissions), or the handling the asker is answered with is a block. Where it is false the
 * permissions are there (the type narrows to them); where it is true, callers only answer.
 */
export const isHiddenFrom = (permissions: Permissions | undefined): permissions is undefined =>
  permissions === undefined || decideSubscription(permissions.subscription).outcome === 'not-found'

/**
 * The one reply about a presentity (a person, a user, a member) that is missing or hidden: the same
 * code and the same text, from every service. Several addresses may be joined into one.
 */
export const presentityNotFound = (address: string, options?: NarvaroErrorOptions): NarvaroError =>
  new NarvaroError('NRV_NOT_FOUND', `no presentity ${address} that you may watch`, options)

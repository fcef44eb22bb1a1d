// The organization boundary of the app layer, in one place: who may administer an organization, and
// which things an actor may address (another organization's look exactly like nothing); app layer.
import { NarvaroError } from '../../core/errors.js'

/** Refuses anyone but an admin (of the actor's own organization): `NRV_FORBIDDEN`. */
export const requireAdmin = (actor: { readonly role: string }, may: string): void => {
  if (actor.role !== 'admin') throw new NarvaroError('NRV_FORBIDDEN', `only an admin may ${may}`)
}

/**
 * The one reply for a thing that does not exist and for a thing of another organization. A person
 * (a presentity, a user, a member) is never such a thing: their reply is the core's
 * `presentityNotFound`, one message whatever hides them.
 */
export const notFoundIn = (kind: string, id: string): NarvaroError =>
  new NarvaroError('NRV_NOT_FOUND', `no ${kind} ${id.slice(0, 64)}`)

/**
 * `thing` when it belongs to the actor's organization; otherwise `NRV_NOT_FOUND` with the same
 * message as for a thing that does not exist, so no caller can tell the two apart.
 */
export const requireInOrganization = <T extends { readonly organizationId: string }>(
  actor: { readonly organizationId: string },
  thing: T | undefined,
  what: { readonly kind: string; readonly id: string },
): T => {
  if (thing?.organizationId !== actor.organizationId) throw notFoundIn(what.kind, what.id)
  return thing
}

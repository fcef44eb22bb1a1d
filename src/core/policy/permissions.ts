// What one watcher may see of one presentity: the permissions that the view function applies; core.
// The policy engine (issue 4) decides these; every transport gets views through `computeView` only.
import type { ContactScope, LocationGranularity } from '../model/presence-model.js'

export const subscriptionHandlings = ['block', 'confirm', 'polite-block', 'allow'] as const
/** Ordered from most private to most permissive (RFC 5025 sub-handling). */
export type SubscriptionHandling = (typeof subscriptionHandlings)[number]

export interface Permissions {
  readonly subscription: SubscriptionHandling
  readonly activities: boolean
  readonly note: boolean
  readonly mood: boolean
  readonly place: boolean
  readonly workLocation: boolean
  readonly freeBusy: boolean
  readonly location: LocationGranularity
  readonly timeZone: boolean
  readonly lastSeen: boolean
  readonly devices: boolean
  /** Which scopes of contact methods the watcher sees. */
  readonly contactScopes: readonly ContactScope[]
  /** Contact methods granted one by one (already within the ceiling's scopes). */
  readonly contactMethodIds: readonly string[]
  /** The watcher sees `offline`, whatever the presence is (the owner's "appear offline"). */
  readonly appearOffline: boolean
  /** Outside the owner's working hours: the watcher sees only that the person is off work. */
  readonly offWork: boolean
}

/** The most private answer: nothing beyond what a blocked or unknown watcher gets. */
export const nothing: Permissions = {
  subscription: 'block',
  activities: false,
  note: false,
  mood: false,
  place: false,
  workLocation: false,
  freeBusy: false,
  location: 'none',
  timeZone: false,
  lastSeen: false,
  devices: false,
  contactScopes: [],
  contactMethodIds: [],
  appearOffline: true,
  offWork: false,
}

/**
 * A stable key for a set of permissions: watchers with equal keys get the same view of a
 * presence, so a change is computed and serialized once per key, not once per watcher.
 */
export const permissionsKey = (p: Permissions): string => {
  let key = keys.get(p)
  if (key === undefined) keys.set(p, (key = computeKey(p)))
  return key
}

/** Keys of permissions objects already seen (the policy engine hands out shared objects). */
const keys = new WeakMap<Permissions, string>()

const computeKey = (p: Permissions): string =>
  [
    p.subscription,
    p.appearOffline ? 'off' : 'on',
    p.offWork ? 'ow' : '',
    p.activities ? 'a' : '',
    p.note ? 'n' : '',
    p.mood ? 'm' : '',
    p.place ? 'p' : '',
    p.workLocation ? 'w' : '',
    p.freeBusy ? 'f' : '',
    p.timeZone ? 'z' : '',
    p.lastSeen ? 's' : '',
    p.devices ? 'd' : '',
    p.location,
    [...p.contactScopes].sort().join('+'),
    [...p.contactMethodIds].sort().join('+'),
  ].join('|')

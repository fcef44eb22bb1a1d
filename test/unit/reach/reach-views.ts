// Views of Ann as watchers get them, for the unit tests of reachability and routing; test support.
// Built by hand (the reach core reads only the view); the tests use computeView where it matters.
import type { Activity } from '../../../src/core/model/presence-model.js'
import type { View, ViewContactMethod } from '../../../src/core/policy/compute-view.js'
import { annAddress } from '../../support/publications.js'

export const method = (
  kind: ViewContactMethod['kind'],
  fields: Partial<ViewContactMethod> = {},
): ViewContactMethod => ({
  kind,
  address: `${kind}:ann`,
  rank: 10,
  scope: 'work',
  reachable: true,
  ...fields,
})

/** Ann's work methods: IM first, then voice, then e-mail, all reachable. */
export const workMethods: readonly ViewContactMethod[] = [
  method('im', { rank: 1 }),
  method('voice', { rank: 2 }),
  method('email', { rank: 3 }),
]

export const annView = (overrides: Partial<View> = {}): View => ({
  address: annAddress,
  displayName: 'Ann Andersson',
  availability: 'available',
  contactMethods: workMethods,
  ...overrides,
})

/** Ann doing something, with the availability aggregation gives it. */
export const doing = (kind: Activity['kind'], overrides: Partial<View> = {}): View =>
  annView({ activities: [{ kind }], ...overrides })

/** What a polite-blocked watcher, or one Ann appears offline to, gets. */
export const bareOfflineView: View = {
  address: annAddress,
  displayName: 'Ann Andersson',
  availability: 'offline',
}

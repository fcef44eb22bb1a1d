// Priority access: by which contact kinds a watcher may still reach a person in do-not-disturb,
// from the person's settings; core layer, pure. It opens kinds of the view, never shows more.
import { contactKinds, type ContactKind } from '../model/presence-model.js'
import type { WatcherParty } from '../policy/evaluate-policy.js'
import type { PersonalSettings, PriorityAccess } from '../policy/policy-model.js'

/** True when an entry names this watcher, by address or by one of the watcher's groups. */
export const priorityAccessMatches = (entry: PriorityAccess, watcher: WatcherParty): boolean =>
  (entry.addresses?.includes(watcher.address) ?? false) ||
  (entry.groups?.some((g) => watcher.groups.includes(g)) ?? false)

/**
 * The kinds by which `watcher` has priority access to the owner of `settings`: the union over the
 * matching entries, in the order of `contactKinds`; empty when the watcher has none. Addresses are
 * compared in their normalized form, as `validatePersonalSettings` stores them.
 */
export const priorityAccessFor = (
  settings: PersonalSettings,
  watcher: WatcherParty,
): readonly ContactKind[] => {
  const matching = (settings.priorityAccess ?? []).filter((e) => priorityAccessMatches(e, watcher))
  if (matching.length === 0) return []
  return contactKinds.filter((kind) => matching.some((e) => e.kinds.includes(kind)))
}

// The best ways to reach a person now, ranked from the watcher's view alone; core layer, pure.
// Only what the view shows can be ranked, so a method the policy hides can never appear here.
import type { ContactKind } from '../model/presence-model.js'
import type { View, ViewContactMethod } from '../policy/compute-view.js'
import {
  situationOf,
  spokenContactKinds,
  writtenContactKinds,
  type Situation,
} from './situation-of.js'

/** Kinds that leave a message for someone who is not there: store-and-forward, then voicemail. */
const leaveMessageOrder: readonly ContactKind[] = ['email', 'voice', 'phone']

/** Lower is better: how well a kind suits the situation, before the person's own rank. */
const suitability = (situation: Situation, kind: ContactKind): number => {
  if (situation.gone) {
    const index = leaveMessageOrder.indexOf(kind)
    return index === -1 ? leaveMessageOrder.length : index
  }
  if (situation.admits === 'any') return 0
  return writtenContactKinds.includes(kind) ? 0 : spokenContactKinds.includes(kind) ? 1 : 2
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Orders the view's contact methods: reachable ones first, then by how well the kind suits the
 * current situation (in a call, a meeting or presenting: written kinds before ringing ones; out of
 * office, off work or offline: e-mail, then voice for voicemail), then by the person's own rank.
 * `now` lets an activity the view shows as already ended stop deciding.
 */
export const rankContactMethods = (view: View, now?: number): readonly ViewContactMethod[] => {
  const methods = view.contactMethods ?? []
  if (methods.length < 2) return methods
  const situation = situationOf(view, now)
  return [...methods].sort(
    (a, b) =>
      Number(b.reachable) - Number(a.reachable) ||
      suitability(situation, a.kind) - suitability(situation, b.kind) ||
      a.rank - b.rank ||
      byText(a.kind, b.kind) ||
      byText(a.address, b.address),
  )
}

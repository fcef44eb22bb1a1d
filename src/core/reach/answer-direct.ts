// The answer to a direct request (a chat or a call that reaches a person's own machine, serverless):
// accepted when the person's situation in the caller's view lets that kind through, busy when the
// person is there but occupied (the busy signal), unavailable when they are gone, with the phrase,
// the note the caller may see (the "recording") and the best other way to reach them that the view
// allows. Pure; core layer.
import type { ContactKind } from '../model/presence-model.js'
import type { View, ViewContactMethod } from '../policy/compute-view.js'
import { admitsKind } from './check-reach.js'
import { rankContactMethods } from './rank-contact-methods.js'
import { situationOf } from './situation-of.js'

export interface DirectAnswer {
  readonly outcome: 'accepted' | 'busy' | 'unavailable'
  /** "Alice is in a meeting". */
  readonly text: string
  readonly note?: string
  /** Another way to reach them now, of another kind, when the view shows one. */
  readonly alternative?: Pick<ViewContactMethod, 'kind' | 'address'>
}

export const answerDirect = (view: View, kind: ContactKind, now: number): DirectAnswer => {
  const situation = situationOf(view, now)
  const text = `${view.displayName ?? view.address} ${situation.phrase}`
  const note = view.note?.text
  if (!situation.gone && admitsKind(situation, kind)) return { outcome: 'accepted', text }
  const other = rankContactMethods(view, now).find(
    (m) => m.kind !== kind && m.reachable && !situation.gone && admitsKind(situation, m.kind),
  )
  return {
    outcome: situation.gone ? 'unavailable' : 'busy',
    text,
    ...(note ? { note } : {}),
    ...(other ? { alternative: { kind: other.kind, address: other.address } } : {}),
  }
}

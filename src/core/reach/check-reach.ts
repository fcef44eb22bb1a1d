// "Can I reach X by voice now?": yes with the method, or no with a reason and the best alternative,
// decided from the watcher's view alone (nothing hidden can leak into a reason); core layer, pure.
import type { ContactKind } from '../model/presence-model.js'
import type { View, ViewContactMethod } from '../policy/compute-view.js'
import { rankContactMethods } from './rank-contact-methods.js'
import {
  nameOf,
  situationOf,
  writtenContactKinds,
  type Situation,
  type SituationCode,
} from './situation-of.js'

export type ReachReasonCode =
  Exclude<SituationCode, 'available'> | 'no-such-method' | 'method-not-reachable'

export interface ReachOptions {
  /** The kinds by which this watcher has priority access (`priorityAccessFor`); none by default. */
  readonly priority?: readonly ContactKind[]
  /** With `now`, an activity the view shows as already ended no longer decides. */
  readonly now?: number
}

export interface Reachable {
  readonly reachable: true
  readonly via: ViewContactMethod
  /** Present when only priority access let the watcher through. */
  readonly priorityAccess?: true
  readonly text: string
}

export interface NotReachable {
  readonly reachable: false
  readonly reason: ReachReasonCode
  readonly text: string
  /** When the deciding activity ends, only where the view carries it. */
  readonly until?: number
  /** The best other way: one that gets through now, else an e-mail to read later. */
  readonly alternative?: ViewContactMethod
}

export type ReachAnswer = Reachable | NotReachable

/** Whether a kind gets through the situation without help. */
export const admitsKind = (situation: Situation, kind: ContactKind): boolean =>
  situation.admits === 'any' ||
  (situation.admits === 'written' && writtenContactKinds.includes(kind))

/** Whether a kind gets through the situation, with priority access where it counts. */
export const getsThrough = (
  situation: Situation,
  kind: ContactKind,
  priority: readonly ContactKind[],
): boolean =>
  !situation.gone && (admitsKind(situation, kind) || (situation.guarded && priority.includes(kind)))

/** A situation's own code as a reason; `available` never refuses, so it never gets here as one. */
const reasonOf = (code: SituationCode): ReachReasonCode =>
  code === 'available' ? 'method-not-reachable' : code

/** Why a kind is refused, and what the refusal is made of. */
interface Refusal {
  readonly reason: ReachReasonCode
  readonly situation: Situation
  readonly options: ReachOptions
}

const firstLater = (others: readonly ViewContactMethod[]) => {
  const email = others.find((m) => m.kind === 'email')
  return email ? { method: email, later: true } : undefined
}

const alternativeFor = (view: View, kind: ContactKind, refusal: Refusal) => {
  const { situation, options } = refusal
  const others = rankContactMethods(view, options.now).filter((m) => m.kind !== kind)
  const priority = options.priority ?? []
  const now = others.find((m) => m.reachable && getsThrough(situation, m.kind, priority))
  return now ? { method: now, later: false } : firstLater(others)
}

const untilText = (until: number | undefined): string =>
  until === undefined ? '' : ` until ${new Date(until).toISOString()}`

const reasonText = (view: View, kind: ContactKind, refusal: Refusal): string => {
  const name = nameOf(view)
  if (refusal.reason === 'no-such-method') return `${name} shows you no ${kind} contact method`
  if (refusal.reason === 'method-not-reachable') return `${name} cannot take ${kind} now`
  return `${name} ${refusal.situation.phrase}${untilText(refusal.situation.until)}`
}

const refuse = (view: View, kind: ContactKind, refusal: Refusal): NotReachable => {
  const alternative = alternativeFor(view, kind, refusal)
  const verb = alternative?.later ? 'leave a message by' : 'try'
  const hint = alternative
    ? `; ${verb} ${alternative.method.kind} (${alternative.method.address})`
    : ''
  // Only a refusal for the situation itself carries the end of its deciding activity.
  const until = refusal.reason === refusal.situation.code ? refusal.situation.until : undefined
  return {
    reachable: false,
    reason: refusal.reason,
    text: reasonText(view, kind, refusal) + hint,
    ...(until !== undefined ? { until } : {}),
    ...(alternative ? { alternative: alternative.method } : {}),
  }
}

/**
 * Answers whether the watcher whose view this is can reach the person by `kind` now. Offline
 * (which a polite block and "appear offline" look exactly like) is never reachable; off work, out
 * of office and on vacation neither. Do-not-disturb and presenting let nothing through, busy
 * situations only written kinds, unless the watcher has priority access by that kind.
 */
export const checkReach = (
  view: View,
  kind: ContactKind,
  options: ReachOptions = {},
): ReachAnswer => {
  const situation = situationOf(view, options.now)
  const priority = options.priority ?? []
  const context = (reason: ReachReasonCode): Refusal => ({ reason, situation, options })
  if (situation.gone) return refuse(view, kind, context(reasonOf(situation.code)))
  if (!(view.contactMethods ?? []).some((m) => m.kind === kind)) {
    return refuse(view, kind, context('no-such-method'))
  }
  if (!getsThrough(situation, kind, priority)) {
    return refuse(view, kind, context(reasonOf(situation.code)))
  }
  const via = rankContactMethods(view, options.now).find((m) => m.kind === kind && m.reachable)
  if (!via) return refuse(view, kind, context('method-not-reachable'))
  const byPriority = !admitsKind(situation, kind)
  const text = `${nameOf(view)} ${situation.phrase}; reach by ${kind} at ${via.address}`
  return byPriority
    ? { reachable: true, via, priorityAccess: true, text: `${text} (priority access)` }
    : { reachable: true, via, text }
}

// Unified-messaging routing: where to deliver a message of a given urgency now (IM, voice, SMS,
// e-mail or voicemail) and why, from the watcher's view alone; core layer, pure.
import type { ContactKind } from '../model/presence-model.js'
import type { View, ViewContactMethod } from '../policy/compute-view.js'
import { admitsKind, type ReachOptions } from './check-reach.js'
import { rankContactMethods } from './rank-contact-methods.js'
import { nameOf, situationOf, type Situation, type SituationCode } from './situation-of.js'

export const urgencies = ['low', 'normal', 'high', 'urgent'] as const
export type Urgency = (typeof urgencies)[number]

export const deliveries = ['im', 'voice', 'sms', 'email', 'voicemail', 'none'] as const
export type Delivery = (typeof deliveries)[number]
type Target = Exclude<Delivery, 'none'>

export interface RouteAnswer {
  /** `none`: the view shows no method that could take the message now. */
  readonly deliver: Delivery
  /** The contact method to deliver to; absent with `none`. */
  readonly via?: ViewContactMethod
  /** The situation that decided: the same codes (and the same privacy) as `checkReach`. */
  readonly reason: SituationCode
  /** Present when only the watcher's priority access allowed this delivery. */
  readonly priorityAccess?: true
  readonly text: string
}

/** The contact kinds a delivery uses; voicemail is left on a voice or phone line. */
export const deliveryKinds: Readonly<Record<Target, readonly ContactKind[]>> = {
  im: ['im'],
  voice: ['voice', 'phone'],
  sms: ['sms'],
  email: ['email'],
  voicemail: ['voice', 'phone'],
}

type Plans = Readonly<Record<Urgency, readonly Target[]>>

/** Preferences, best first, per class of situation and urgency. */
const plans: Readonly<Record<'free' | 'written' | 'closed' | 'gone' | 'offline', Plans>> = {
  free: {
    low: ['email', 'im', 'sms', 'voicemail'],
    normal: ['im', 'email', 'sms', 'voicemail'],
    high: ['im', 'voice', 'sms', 'email', 'voicemail'],
    urgent: ['voice', 'sms', 'im', 'voicemail', 'email'],
  },
  written: {
    low: ['email', 'im', 'voicemail'],
    normal: ['im', 'email', 'sms', 'voicemail'],
    high: ['im', 'sms', 'voicemail', 'email'],
    urgent: ['sms', 'im', 'voicemail', 'email'],
  },
  closed: {
    low: ['email', 'voicemail'],
    normal: ['voicemail', 'email'],
    high: ['voicemail', 'email'],
    urgent: ['voicemail', 'email'],
  },
  gone: {
    low: ['email', 'voicemail'],
    normal: ['email', 'voicemail'],
    high: ['voicemail', 'email'],
    urgent: ['voicemail', 'email'],
  },
  offline: {
    low: ['email', 'voicemail'],
    normal: ['email', 'voicemail'],
    high: ['sms', 'voicemail', 'email'],
    urgent: ['sms', 'voicemail', 'email'],
  },
}

/** Deliveries that reach the person live, so the situation must let them through. */
const live: readonly Target[] = ['im', 'voice', 'sms']

const classOf = (situation: Situation): keyof typeof plans => {
  if (situation.code === 'offline') return 'offline'
  if (situation.gone) return 'gone'
  if (situation.admits === 'any') return 'free'
  return situation.admits === 'written' ? 'written' : 'closed'
}

/** With priority access in a guarded situation: the free plan first, then the situation's own. */
const planFor = (situation: Situation, urgency: Urgency, priority: readonly ContactKind[]) => {
  const own = plans[classOf(situation)][urgency]
  if (!situation.guarded || priority.length === 0) return own
  return [...new Set([...plans.free[urgency], ...own])]
}

interface Context {
  readonly situation: Situation
  readonly ranked: readonly ViewContactMethod[]
  readonly priority: readonly ContactKind[]
}

/** How a live delivery gets through: by the situation itself, by priority access, or not at all. */
const liveAccess = (kind: ContactKind, context: Context): 'own' | 'priority' | undefined => {
  if (admitsKind(context.situation, kind)) return 'own'
  return context.situation.guarded && context.priority.includes(kind) ? 'priority' : undefined
}

interface Choice {
  readonly via: ViewContactMethod
  readonly byPriority: boolean
}

/**
 * The best method for a delivery. Live ones need a reachable method the situation lets through.
 * Messages left (e-mail, voicemail) need only a method shown: they never disturb, and neither does
 * an SMS to someone offline, the one live delivery of a gone plan, which waits in the network.
 */
const choose = (target: Target, context: Context): Choice | undefined => {
  const waits = !live.includes(target) || context.situation.gone
  const needsReachable = live.includes(target) && context.situation.code !== 'offline'
  for (const m of context.ranked) {
    if (!deliveryKinds[target].includes(m.kind) || (needsReachable && !m.reachable)) continue
    const how = waits ? 'own' : liveAccess(m.kind, context)
    if (how) return { via: m, byPriority: how === 'priority' }
  }
  return undefined
}

const actions: Readonly<Record<Target, string>> = {
  im: 'send an IM to',
  voice: 'call',
  sms: 'send an SMS to',
  email: 'send an e-mail to',
  voicemail: 'leave a voicemail on',
}

/**
 * Where to deliver a message of `urgency` now. Available: IM (voice when urgent). Busy: written
 * kinds. Presenting or do-not-disturb: voicemail or e-mail unless the watcher has priority access.
 * Off work or away on leave: e-mail or voicemail. Offline: e-mail, or an SMS when high or urgent
 * (any SMS method shown: the network keeps it), else voicemail. Only shown methods are ever chosen.
 */
export const routeMessage = (
  view: View,
  urgency: Urgency,
  options: ReachOptions = {},
): RouteAnswer => {
  const situation = situationOf(view, options.now)
  const ranked = rankContactMethods(view, options.now)
  const context: Context = { situation, ranked, priority: options.priority ?? [] }
  const lead = `${nameOf(view)} ${situation.phrase}`
  for (const target of planFor(situation, urgency, context.priority)) {
    const choice = choose(target, context)
    if (!choice) continue
    const { via, byPriority } = choice
    const text = `${lead}: ${actions[target]} ${via.address}`
    return byPriority
      ? {
          deliver: target,
          via,
          reason: situation.code,
          priorityAccess: true,
          text: `${text} (priority access)`,
        }
      : { deliver: target, via, reason: situation.code, text }
  }
  return {
    deliver: 'none',
    reason: situation.code,
    text: `${lead}: no contact method shown to you can take it now`,
  }
}

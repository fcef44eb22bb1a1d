// What a view says about whether the person can be interrupted now, read from the view alone (so
// nothing the policy hid can steer it); core layer, pure. The base of reach checks and routing.
import type { Activity, ActivityKind, ContactKind } from '../model/presence-model.js'
import type { View } from '../policy/compute-view.js'

/** Kinds that do not interrupt: a message waits until the person looks. */
export const writtenContactKinds: readonly ContactKind[] = ['im', 'sms', 'email']
/** Kinds that ring: they need the person there and willing to be interrupted. */
export const spokenContactKinds: readonly ContactKind[] = ['voice', 'video', 'phone']

export const situationCodes = [
  'available',
  'offline',
  'off-work',
  'on-vacation',
  'out-of-office',
  'presenting',
  'do-not-disturb',
  'busy-in-a-call',
  'busy-in-a-conference',
  'busy-in-a-meeting',
  'focusing',
  'busy',
  'away',
  'be-right-back',
] as const
export type SituationCode = (typeof situationCodes)[number]

/** Codes that name an activity: only ever given when the view shows that activity. */
export const activitySituationCodes: readonly SituationCode[] = [
  'off-work',
  'on-vacation',
  'out-of-office',
  'presenting',
  'busy-in-a-call',
  'busy-in-a-conference',
  'busy-in-a-meeting',
  'focusing',
]

/**
 * What gets through now: `any` kind, only `written` kinds, or `nothing`. `gone` situations
 * (offline, off work, away on leave) admit nothing and priority access cannot change that;
 * `guarded` ones (do-not-disturb, presenting, busy) let priority access through by its kinds.
 */
export interface Situation {
  readonly code: SituationCode
  readonly admits: 'any' | 'written' | 'nothing'
  readonly gone: boolean
  readonly guarded: boolean
  /** When the deciding activity ends, only if the view itself carries it. */
  readonly until?: number
  /** A phrase about the person: "is in a meeting". */
  readonly phrase: string
}

interface ActivityRule {
  readonly code: SituationCode
  readonly admits: Situation['admits']
  readonly phrase: string
}

/** Deciding activities, strongest first. Others (`commuting`, `custom`) do not decide. */
const activityRules: readonly (readonly [ActivityKind, ActivityRule])[] = [
  ['off-work', { code: 'off-work', admits: 'nothing', phrase: 'is off work' }],
  ['on-vacation', { code: 'on-vacation', admits: 'nothing', phrase: 'is on vacation' }],
  ['out-of-office', { code: 'out-of-office', admits: 'nothing', phrase: 'is out of office' }],
  ['presenting', { code: 'presenting', admits: 'nothing', phrase: 'is presenting' }],
  ['in-a-call', { code: 'busy-in-a-call', admits: 'written', phrase: 'is in a call' }],
  [
    'in-a-conference',
    { code: 'busy-in-a-conference', admits: 'written', phrase: 'is in a conference' },
  ],
  ['in-a-meeting', { code: 'busy-in-a-meeting', admits: 'written', phrase: 'is in a meeting' }],
  ['focusing', { code: 'focusing', admits: 'written', phrase: 'is focusing' }],
]

const availabilityRules: Readonly<Record<View['availability'], ActivityRule>> = {
  offline: { code: 'offline', admits: 'nothing', phrase: 'is offline' },
  'do-not-disturb': {
    code: 'do-not-disturb',
    admits: 'nothing',
    phrase: 'does not want to be disturbed',
  },
  busy: { code: 'busy', admits: 'written', phrase: 'is busy' },
  away: { code: 'away', admits: 'written', phrase: 'is away' },
  'be-right-back': { code: 'be-right-back', admits: 'written', phrase: 'will be right back' },
  available: { code: 'available', admits: 'any', phrase: 'is available' },
}

const goneCodes: readonly SituationCode[] = ['offline', 'off-work', 'on-vacation', 'out-of-office']
const guardedCodes: readonly SituationCode[] = [
  'presenting',
  'do-not-disturb',
  'busy-in-a-call',
  'busy-in-a-conference',
  'busy-in-a-meeting',
  'focusing',
  'busy',
]

/** An end an activity in a view may carry. The model has none yet: then nothing is ever told. */
const untilOf = (activity: Activity): number | undefined =>
  'until' in activity && typeof activity.until === 'number' ? activity.until : undefined

/** An activity the view shows as already over at `now` no longer decides. */
const current = (activity: Activity, now: number | undefined): boolean => {
  const until = untilOf(activity)
  return now === undefined || until === undefined || until > now
}

const situation = (rule: ActivityRule, until: number | undefined): Situation => ({
  ...rule,
  gone: goneCodes.includes(rule.code),
  guarded: guardedCodes.includes(rule.code),
  ...(until !== undefined ? { until } : {}),
})

/**
 * Reads the situation from the view: offline first (a polite block and "appear offline" look
 * exactly like it), then the strongest deciding activity the view shows, then the availability.
 * An activity outranks the availability, except that do-not-disturb outranks the busy ones.
 */
export const situationOf = (view: View, now?: number): Situation => {
  if (view.availability === 'offline') return situation(availabilityRules.offline, undefined)
  const activities = (view.activities ?? []).filter((a) => current(a, now))
  for (const [kind, rule] of activityRules) {
    const activity = activities.find((a) => a.kind === kind)
    if (!activity) continue
    if (rule.admits === 'written' && view.availability === 'do-not-disturb') break
    return situation(rule, untilOf(activity))
  }
  return situation(availabilityRules[view.availability], undefined)
}

/** The name the view gives the person: the display name when shown, else the address. */
export const nameOf = (view: View): string => view.displayName ?? view.address

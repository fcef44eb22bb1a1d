// The policy vocabulary: personal rules (owner-owned grants), personal settings and the organization
// policy (admin-owned defaults and ceilings), after RFC 4745/5025 common policy; core layer.
import type { ContactKind, ContactScope, LocationGranularity } from '../model/presence-model.js'
import type { SubscriptionHandling } from './permissions.js'

/** What a rule lets a watcher see beyond availability. Absent means "not granted". */
export interface Grant {
  readonly activities?: boolean
  readonly note?: boolean
  readonly mood?: boolean
  readonly place?: boolean
  /** Where the person works today (office site, remote, travelling). */
  readonly workLocation?: boolean
  /** When the person is busy in the coming days (calendar and schedules), without any detail. */
  readonly freeBusy?: boolean
  readonly location?: LocationGranularity
  readonly timeZone?: boolean
  readonly lastSeen?: boolean
  readonly devices?: boolean
  /** Contact methods by scope (`work`, `personal`) ... */
  readonly contactScopes?: readonly ContactScope[]
  /** ... and one by one, by contact method id. */
  readonly contactMethodIds?: readonly string[]
}

export const workingHoursConditions = ['inside', 'outside'] as const
export type WorkingHoursCondition = (typeof workingHoursConditions)[number]

/** When a rule applies. Every condition given must hold; a rule with no identity condition matches nobody. */
export interface RuleConditions {
  /** Specific watchers, by address. */
  readonly addresses?: readonly string[]
  /** Watchers in any of these groups or teams (by group id). */
  readonly groups?: readonly string[]
  /** Watchers of the presentity's own organization. */
  readonly ownOrganization?: boolean
  /** Watchers whose address is in one of these domains. */
  readonly domains?: readonly string[]
  /** Anyone at all. */
  readonly everyone?: boolean
  /** Watchers never matched by this rule (RFC 4745 `except`). */
  readonly except?: readonly string[]
  readonly validFrom?: number
  readonly validUntil?: number
  /** Only inside or only outside the owner's working hours. */
  readonly workingHours?: WorkingHoursCondition
}

export interface PersonalRule {
  readonly id: string
  readonly conditions: RuleConditions
  /** The subscription handling this rule grants (RFC 5025 sub-handling). */
  readonly subscription?: SubscriptionHandling
  readonly grant: Grant
}

/**
 * Who may still reach the owner while in do-not-disturb (or presenting, or busy), and by which
 * contact kinds. Identities as in `RuleConditions`: an entry matches a watcher named by address or
 * in one of the groups. It never shows the watcher more: it only opens the listed kinds of what the
 * watcher's view already shows.
 */
export interface PriorityAccess {
  readonly addresses?: readonly string[]
  readonly groups?: readonly string[]
  readonly kinds: readonly ContactKind[]
}

/** The owner's settings that are not grants. */
export interface PersonalSettings {
  /** The owner's own rules replace the organization's default rules once set. */
  readonly rules?: readonly PersonalRule[]
  /** Watchers (addresses) who see the owner as offline, whatever any rule grants. */
  readonly appearOfflineTo?: readonly string[]
  /** Opt-in: colleagues see the usual view outside working hours, not only "off work". */
  readonly shareOutsideWorkingHours?: boolean
  /** Watchers who may still reach the owner in do-not-disturb, by the kinds listed. */
  readonly priorityAccess?: readonly PriorityAccess[]
}

/** The most a class of watchers may ever see; applied after the personal rules. */
export interface Ceiling {
  readonly subscription: SubscriptionHandling
  readonly grant: Grant
}

export interface OrganizationPolicy {
  /** The rules of every member who has not set rules of their own. */
  readonly defaultRules: readonly PersonalRule[]
  /** Ceilings for watchers of the organization and for everyone else. */
  readonly colleagueCeiling: Ceiling
  readonly externalCeiling: Ceiling
  /** Outside working hours, colleagues see only "off work" unless the person opts in. */
  readonly offWorkOutsideHours: boolean
}

/** Everything a grant can give. */
export const fullGrant: Grant = {
  activities: true,
  note: true,
  mood: true,
  place: true,
  workLocation: true,
  freeBusy: true,
  location: 'exact',
  timeZone: true,
  lastSeen: true,
  devices: true,
  contactScopes: ['work', 'personal'],
}

/**
 * The policy of a new organization: colleagues are allowed and see everything but personal contact
 * methods and a location finer than the city; other domains see nothing unless a person allows
 * it, and at most availability, activities and work contact methods; outside working hours
 * colleagues see "off work".
 */
export const defaultOrganizationPolicy: OrganizationPolicy = {
  defaultRules: [
    {
      id: 'org-default-colleagues',
      conditions: { ownOrganization: true },
      subscription: 'allow',
      grant: { ...fullGrant, location: 'city', contactScopes: ['work'] },
    },
  ],
  colleagueCeiling: { subscription: 'allow', grant: fullGrant },
  externalCeiling: {
    subscription: 'allow',
    grant: { activities: true, contactScopes: ['work'], timeZone: true },
  },
  offWorkOutsideHours: true,
}

/**
 * The policy of a serverless peer's organization, everyone found on the link: they see
 * availability, activities, note, mood, place type, time zone and last seen; contact methods,
 * location, devices, free/busy and work location only through a rule the person adds (an email or
 * XMPP address is broadcast on the link only then); no working hours.
 */
export const linkOrganizationPolicy: OrganizationPolicy = {
  defaultRules: [
    {
      id: 'link-default-everyone',
      conditions: { ownOrganization: true },
      subscription: 'allow',
      grant: {
        activities: true,
        note: true,
        mood: true,
        place: true,
        timeZone: true,
        lastSeen: true,
      },
    },
  ],
  colleagueCeiling: { subscription: 'allow', grant: fullGrant },
  externalCeiling: { subscription: 'allow', grant: {} },
  offWorkOutsideHours: false,
}

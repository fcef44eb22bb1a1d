// The presence vocabulary of DESIGN.md as plain readonly data; core layer, no I/O.
// RFC 4479/4480 ideas: person-level availability and activities, devices with capabilities.

export const availabilities = [
  'available',
  'busy',
  'do-not-disturb',
  'be-right-back',
  'away',
  'offline',
] as const
export type Availability = (typeof availabilities)[number]

/** What a person may choose by hand: any availability, or `invisible` (watchers see `offline`). */
export const manualAvailabilities = [...availabilities, 'invisible'] as const
export type ManualAvailability = (typeof manualAvailabilities)[number]

/** What a live source may publish: being offline is never published, it is the absence of sources. */
export const sourceAvailabilities = [
  'available',
  'busy',
  'do-not-disturb',
  'be-right-back',
  'away',
] as const
export type SourceAvailability = (typeof sourceAvailabilities)[number]

/** The aggregate availability: `invisible` exists only in the owner's own presence, never in a view. */
export type AggregateAvailability = Availability | 'invisible'

export const activityKinds = [
  'in-a-call',
  'in-a-conference',
  'in-a-meeting',
  'presenting',
  'focusing',
  'out-of-office',
  'on-vacation',
  'commuting',
  'off-work',
  'custom',
] as const
export type ActivityKind = (typeof activityKinds)[number]

export interface Activity {
  readonly kind: ActivityKind
  /** Free text, used with `custom`. */
  readonly text?: string
  /** When the activity is expected to end (epoch ms), where the publisher knows it. */
  readonly until?: number
}

export const contactKinds = ['im', 'voice', 'video', 'sms', 'email', 'phone'] as const
export type ContactKind = (typeof contactKinds)[number]

/**
 * Kinds that are store-and-forward: reachable without a live source (an SMS goes to a phone that
 * needs no Närvaro source, like an e-mail). `isReachable` (core/reach) is the one rule using this.
 */
export const asynchronousContactKinds: readonly ContactKind[] = ['sms', 'email']

export const contactScopes = ['work', 'personal'] as const
export type ContactScope = (typeof contactScopes)[number]

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof weekdays)[number]

/** One span of a week, in the owner's time zone: `start` and `end` are `HH:MM`, end exclusive. */
export interface HoursSpan {
  readonly days: readonly Weekday[]
  readonly start: string
  readonly end: string
}
export type WeeklyHours = readonly HoursSpan[]

export interface ContactMethod {
  readonly id: string
  readonly kind: ContactKind
  readonly address: string
  /** Lower rank is preferred. */
  readonly rank: number
  readonly scope: ContactScope
  /** When it may be used, in the owner's time zone; absent means any time. */
  readonly hours?: WeeklyHours
}

export const locationGranularities = ['none', 'country', 'city', 'exact'] as const
export type LocationGranularity = (typeof locationGranularities)[number]

export interface Location {
  readonly country?: string
  readonly city?: string
  readonly latitude?: number
  readonly longitude?: number
  /** Accuracy of the coordinates, in metres. */
  readonly accuracy?: number
}

export const workLocationModes = ['office', 'remote', 'travelling'] as const
export type WorkLocationMode = (typeof workLocationModes)[number]

/** Where the person works today: in an office (with the site's name), remotely, or travelling. */
export interface WorkLocation {
  readonly mode: WorkLocationMode
  /** The office site, such as `Stockholm HQ`; only with `office`. */
  readonly site?: string
}

/** Why a work location is not one, or undefined: a site names an office, so it goes only with `office`. */
export const workLocationProblem = (w: WorkLocation): string | undefined =>
  w.site !== undefined && w.mode !== 'office'
    ? 'a site goes only with the mode `office`'
    : undefined

export interface Note {
  readonly text: string
  /** Epoch milliseconds after which the note is gone; absent means until replaced. */
  readonly expiresAt?: number
}

export const deviceKinds = ['desktop', 'mobile', 'web', 'phone', 'tablet', 'other'] as const
export type DeviceKind = (typeof deviceKinds)[number]

export interface DeviceInfo {
  readonly name?: string
  readonly kind?: DeviceKind
  /** The contact kinds this source can take while it is live. */
  readonly capabilities: readonly ContactKind[]
}

export const sourceKinds = [
  'device',
  'manual',
  'phone',
  'conference',
  'calendar',
  'integration',
  'schedule',
] as const
export type SourceKind = (typeof sourceKinds)[number]

export interface Source {
  readonly id: string
  readonly kind: SourceKind
}

/** What one source says about the presentity. Every field is optional. */
export interface PublicationState {
  readonly availability?: ManualAvailability
  readonly activities?: readonly Activity[]
  readonly note?: Note
  readonly mood?: string
  readonly place?: string
  readonly location?: Location
  readonly workLocation?: WorkLocation
  readonly timeZone?: string
  readonly device?: DeviceInfo
}

/** One source's current state, with a server-owned expiry (soft state). */
export interface Publication {
  readonly source: Source
  readonly state: PublicationState
  readonly publishedAt: number
  readonly expiresAt: number
  /** The publisher's own counter; a lower one than stored is stale. */
  readonly version?: number
  /** Last time the person really used this device (not reconnects, polls or heartbeats). */
  readonly lastActiveAt?: number
  /** The device itself reports that its user is idle. */
  readonly idle?: boolean
}

/** Durable facts about a person that aggregation and views need. */
export interface Profile {
  readonly address: string
  readonly organizationId: string
  readonly displayName: string
  readonly timeZone: string
  readonly workingHours?: WeeklyHours
  readonly contactMethods: readonly ContactMethod[]
}

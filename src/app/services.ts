// Composes the application services from the concepts and the ports; the transports receive this
// object and nothing else.
import { randomUUID } from 'node:crypto'
import type { AccessEnded, ChangeBus } from '../ports/bus.js'
import type { NarvaroStore } from '../ports/narvaro-store.js'
import type { Clock } from '../ports/clock.js'
import { createAccounts, stopAccounts } from './accounts/index.js'
import { DirectRequests } from './link/index.js'
import type {
  AuthService,
  LiveSessions,
  SignInEvent,
  SipCredentialService,
  UserService,
} from './accounts/index.js'
import { createAvailability, stopAvailability } from './availability/index.js'
import type {
  AvailabilityService,
  GatherService,
  LiveWho,
  NotifyService,
} from './availability/index.js'
import { createCalendar, startCalendar, stopCalendar } from './calendar/index.js'
import type { CalendarExpander, CalendarService } from './calendar/index.js'
import { createDirectory, followOtherNodes, stopDirectory } from './directory/index.js'
import type {
  ContactListService,
  DirectoryService,
  GroupService,
  TeamNames,
} from './directory/index.js'
import type { ProfileDirectory } from './directory/index.js'
import { createIntegrations, stopIntegrations } from './integrations/index.js'
import type { IntegrationService } from './integrations/index.js'
import { createPolicy, stopPolicy } from './policy/index.js'
import type { AuditLog, PolicyDirectory } from './policy/index.js'
import { createPresence, flushPresence, startPresence, stopPresence } from './presence/index.js'
import type {
  LastSeenWriter,
  PresenceEngine,
  PresenceLimits,
  PresenceService,
} from './presence/index.js'
import { createPrivacy } from './privacy/index.js'
import type { PrivacyService } from './privacy/index.js'
import { createSchedules, startSchedules, stopSchedules } from './schedules/index.js'
import type { ScheduleService, Scheduler } from './schedules/index.js'
import { createShared, onAccessEnded, stopShared } from './shared/index.js'
import type { NarvaroMetrics, OutboundPolicy, RateLimiter, Readiness } from './shared/index.js'
import { createHoursTicker, createWatching, stopWatching } from './watching/index.js'
import type {
  AskerViews,
  HoursTicker,
  SubscriptionRecords,
  SubscriptionService,
  WatchHub,
} from './watching/index.js'
import { createWebhooks, startWebhooks, stopWebhooks } from './webhooks/index.js'
import type { WebhookService } from './webhooks/index.js'

export interface ServiceSettings extends PresenceLimits {
  readonly idleAfterMs: number
  readonly gracePeriodMs: number
  /** How long a change stays resumable; unbounded (only the depth limit) when absent. */
  readonly resumeWindowMs?: number
  /** Where the server may connect on its own (NARVARO_OUTBOUND_HOSTS); public addresses when absent. */
  readonly outboundHosts?: string
  /** Webhook limits; the defaults of `defaultWebhookTuning` when absent. */
  readonly webhookTimeoutMs?: number
  readonly webhookMaxAttempts?: number
  readonly webhookDisableAfter?: number
  readonly heartbeatMs: number
  readonly maxMessageBytes: number
  readonly maxWatchesPerConnection: number
  readonly subscriptionBurst: number
  readonly requestsPerMinute: number
  readonly auditRetentionMs: number
  readonly publicationBurst: number
  readonly publicationsPerSecond: number
  /** Sign-in limits (docs/security.md); the defaults of `defaultLoginLimits` when absent. */
  readonly loginFreeFailures?: number
  readonly loginClientFreeFailures?: number
  readonly loginMaxDelayMs?: number
  readonly passwordHashConcurrency?: number
  readonly passwordHashQueue?: number
  /** The argon2id cost of new password hashes (docs/security.md). */
  readonly passwordHashMemoryMib?: number
  readonly passwordHashPasses?: number
}

export interface NarvaroServices {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly settings: ServiceSettings
  /** Identifies this server run (or cluster): cursors of an earlier one cannot be resumed. */
  readonly epoch: string
  /** This node's id in a cluster. */
  readonly node?: string
  readonly metrics: NarvaroMetrics
  readonly auth: AuthService
  readonly users: UserService
  readonly presence: PresenceService
  readonly subscriptions: SubscriptionService
  /** Watchers' subscriptions in the store, the active ones of lately held in memory. */
  readonly subscriptionRecords: SubscriptionRecords
  readonly privacy: PrivacyService
  readonly groups: GroupService
  /** Which team a name or id means, per organization (a who question reads no store for it). */
  readonly teams: TeamNames
  /** Who is who: titles, tags, teams, search and bulk import. */
  readonly directory: DirectoryService
  /** Each user's personal contact lists. */
  readonly contactLists: ContactListService
  readonly audit: AuditLog
  readonly engine: PresenceEngine
  /** Last seen, written behind the engine's changes. */
  readonly lastSeenWriter: LastSeenWriter
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly hub: WatchHub
  /** Views of many presentities for one asker, without subscriptions (team availability). */
  readonly askerViews: AskerViews
  readonly notify: NotifyService
  readonly availability: AvailabilityService
  readonly liveWho: LiveWho
  readonly gather: GatherService
  /** Webhooks out: endpoints that watch as their owner, with signed, retried deliveries. */
  readonly webhooks: WebhookService
  /** Integration sources (phone systems, conference services) that set people's activities. */
  readonly integrations: IntegrationService
  /** Turns scheduled publications (schedules, calendars) into presence at their start. */
  readonly scheduler: Scheduler
  /** Scheduled do-not-disturb, planned notes and work locations; free/busy. */
  readonly schedules: ScheduleService
  /** Calendars (uploaded iCalendar files, subscribed ICS URLs): meetings and out-of-office. */
  readonly calendars: CalendarService
  /** Pushes views that change with the time of day alone (working hours, usable hours). */
  readonly hoursTicker: HoursTicker
  /** Where calendar fetches and webhook deliveries may connect. */
  readonly outbound: OutboundPolicy
  readonly requestLimiter: RateLimiter
  /** Whether the store and the change channel answer. */
  readonly readiness: Readiness
  /** Every live session of every transport, closed at once when its access ends. */
  readonly sessions: LiveSessions
  /** SIP passwords, apart from the account's (digest HA1s only). */
  readonly sipCredentials: SipCredentialService
  /** A serverless peer's chats and calls to the peers of the link (none on a server). */
  readonly directRequests: DirectRequests
  /** Reports an unexpected error of a background task. */
  readonly onError: (error: unknown) => void
}

interface ServicesArgs {
  store: NarvaroStore
  bus: ChangeBus
  clock: Clock
  settings: ServiceSettings
  onError: (error: unknown) => void
  /** Where calendars are expanded: a worker thread in the server, this thread by default. */
  expandCalendar?: CalendarExpander
  /** Each sign-in attempt, for the server log (it is counted in the metrics here). */
  onSignIn?: (event: SignInEvent) => void
  /** In a cluster: this node's id, and the cluster's epoch (cursors resume on any node). */
  cluster?: { readonly node: string; readonly epoch: string }
}

/** The concepts the others stand on, up to the watch hub, in the order they are built. */
const createFoundation = (args: ServicesArgs) => {
  const shared = createShared(args)
  const policy = createPolicy(args)
  const directory = createDirectory({ ...args, ...policy })
  const node = args.cluster?.node
  // Before every other listener, this node's copies take what another node changed.
  if (node !== undefined) followOtherNodes({ ...args, ...policy, ...directory, node })
  const presence = createPresence({ ...args, ...directory, metrics: shared.metrics })
  // The hub is the first listener of the change channel: it hears every change before the others.
  const watching = createWatching({ ...args, ...shared, ...policy, ...directory, ...presence })
  return { ...shared, ...policy, ...directory, ...presence, ...watching }
}

/** The concepts built on the foundation; their listeners subscribe in the order of old. */
const createFeatures = (args: ServicesArgs, foundation: ReturnType<typeof createFoundation>) => {
  const from = { ...args, ...foundation }
  const schedules = createSchedules(from)
  const calendar = createCalendar({ ...from, ...schedules })
  const webhooks = createWebhooks(from)
  // Live queries hear a policy change before the hours ticker, and the hub's access changes come
  // before the live sessions'.
  const availability = createAvailability(from)
  const hoursTicker = createHoursTicker(from)
  const accounts = createAccounts({
    ...from,
    onTimeZoneChanged: async (user) => {
      await schedules.schedules.userChanged(user)
      await calendar.calendars.userChanged(user)
    },
  })
  const privacy = createPrivacy(from)
  const integrations = createIntegrations(from)
  return {
    ...schedules,
    ...calendar,
    ...webhooks,
    ...availability,
    ...hoursTicker,
    ...accounts,
    ...privacy,
    ...integrations,
    directRequests: new DirectRequests(from.store),
  }
}

/** A removed user is nobody: what acts or waits for them stops, and their soft state is forgotten. */
const forgetRemovedUser =
  (services: NarvaroServices) =>
  ({ reason, address }: AccessEnded): void => {
    if (reason !== 'user-removed') return
    services.webhooks.ownerRemoved(address)
    services.hoursTicker.forget(address)
    services.notify.forgetUser(address)
    services.gather.forgetUser(address)
    services.engine.remove(address)
    services.profiles.forget(address)
  }

export const createServices = (args: ServicesArgs): NarvaroServices => {
  const { store, clock, settings, onError } = args
  const foundation = createFoundation(args)
  const services: NarvaroServices = {
    store,
    clock,
    settings,
    epoch: args.cluster?.epoch ?? randomUUID().slice(0, 8),
    ...(args.cluster ? { node: args.cluster.node } : {}),
    ...foundation,
    ...createFeatures(args, foundation),
    onError,
  }
  // Subscribed last, so that the hub (subscribed first) has told the removed user's watchers.
  onAccessEnded(args.bus, forgetRemovedUser(services))
  return services
}

/** Loads an organization's policy, its people's profiles and when they were last seen. */
const restoreOrganization = async (services: NarvaroServices, organizationId: string) => {
  const { store, policies, profiles, engine } = services
  await policies.loadOrganization(store, organizationId)
  for (const user of await store.listUsers(organizationId)) {
    await profiles.refresh(user)
    if (user.lastSeen !== undefined) engine.seedLastSeen(user.address, user.lastSeen)
  }
}

/** Loads what is durable into the soft state at start: profiles, last seen, manual choices and notes. */
export const restoreDurableState = async (services: NarvaroServices): Promise<number> => {
  for (const organization of await services.store.listOrganizations()) {
    await restoreOrganization(services, organization.id)
  }
  const restored = await startPresence(services)
  for (const start of [startWebhooks, startSchedules, startCalendar]) await start(services)
  return restored
}

/** The concepts in the order they stop: the live fan-out first, the durable writers last. */
const stops = [
  stopPresence,
  stopWatching,
  stopAvailability,
  stopDirectory,
  stopIntegrations,
  stopSchedules,
  stopCalendar,
  stopAccounts,
  flushPresence,
  stopWebhooks,
  stopShared,
  stopPolicy,
]

/** Stops every timer, queue and background task of the services; the store is the caller's to close. */
export const stopServices = async (services: NarvaroServices): Promise<void> => {
  for (const stop of stops) {
    // The synchronous stops run back to back, as one step, with nothing between them.
    const stopping = stop(services)
    if (stopping instanceof Promise) await stopping
  }
}

export type { NarvaroStore } from '../ports/narvaro-store.js'

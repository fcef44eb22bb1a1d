// Builds the application services from the ports; the transports receive this object and nothing else.
import { randomUUID } from 'node:crypto'
import type { ChangeBus } from '../ports/bus.js'
import type { NarvaroStore } from '../ports/narvaro-store.js'
import type { Clock } from '../ports/clock.js'
import { AskerViews } from './watching/index.js'
import { AuditLog } from './policy/index.js'
import { AvailabilityService } from './availability/index.js'
import { AuthService } from './accounts/index.js'
import { loginLimitsOf } from './accounts/index.js'
import type { SignInEvent } from './accounts/index.js'
import { ContactListService } from './directory/index.js'
import { DirectoryService } from './directory/index.js'
import { GatherService } from './availability/index.js'
import { GroupService } from './directory/index.js'
import { IntegrationService } from './integrations/index.js'
import { LastSeenWriter } from './presence/index.js'
import { LiveWho } from './availability/index.js'
import { NarvaroMetrics } from './shared/index.js'
import { NotifyService } from './availability/index.js'
import { PolicyDirectory } from './policy/index.js'
import { PresenceEngine } from './presence/index.js'
import type { PresenceLimits } from './presence/index.js'
import { PresenceService } from './presence/index.js'
import { PrivacyService } from './privacy/index.js'
import { ProfileDirectory } from './directory/index.js'
import { RateLimiter } from './shared/index.js'
import { SubscriptionService } from './watching/index.js'
import { UserService } from './accounts/index.js'
import { WatchHub } from './watching/index.js'
import { WebhookService } from './webhooks/index.js'
import { HoursTicker } from './watching/index.js'
import { ScheduleService } from './schedules/index.js'
import { CalendarService } from './calendar/index.js'
import { OutboundPolicy } from './shared/index.js'
import type { CalendarExpander } from './calendar/index.js'
import { Scheduler } from './schedules/index.js'
import { LiveSessions } from './accounts/index.js'
import { onAccessEnded } from './shared/index.js'

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
}


export interface NarvaroServices {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly settings: ServiceSettings
  /** Identifies this server run: cursors of an earlier run cannot be resumed. */
  readonly epoch: string
  readonly metrics: NarvaroMetrics
  readonly auth: AuthService
  readonly users: UserService
  readonly presence: PresenceService
  readonly subscriptions: SubscriptionService
  readonly privacy: PrivacyService
  readonly groups: GroupService
  /** Who is who: titles, tags, teams, search and bulk import. */
  readonly directory: DirectoryService
  /** Each user's personal contact lists. */
  readonly contactLists: ContactListService
  readonly audit: AuditLog
  readonly engine: PresenceEngine
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
  /** Every live session of every transport, closed at once when its access ends. */
  readonly sessions: LiveSessions
  /** Reports an unexpected error of a background task. */
  readonly onError: (error: unknown) => void
}

export const createServices = (args: {
  store: NarvaroStore
  bus: ChangeBus
  clock: Clock
  settings: ServiceSettings
  onError: (error: unknown) => void
  /** Where calendars are expanded: a worker thread in the server, this thread by default. */
  expandCalendar?: CalendarExpander
  /** Each sign-in attempt, for the server log (it is counted in the metrics here). */
  onSignIn?: (event: SignInEvent) => void
}): NarvaroServices => {
  const { store, bus, clock, settings, onError } = args
  const metrics = new NarvaroMetrics()
  const profiles = new ProfileDirectory(store)
  const lastSeenWriter = new LastSeenWriter(store, onError)
  const policies = new PolicyDirectory(bus, onError)
  const audit = new AuditLog(store, clock, { retentionMs: settings.auditRetentionMs, onError })
  const engine = new PresenceEngine({
    clock,
    bus,
    idleAfterMs: settings.idleAfterMs,
    resumeWindowMs: settings.resumeWindowMs,
    profileOf: (address) => profiles.get(address),
    onLastSeen: (address, lastSeen, wentHidden) =>
      lastSeenWriter.record(address, lastSeen, wentHidden),
    onError,
  })
  const hub = new WatchHub({
    engine,
    bus,
    clock,
    policies,
    audit,
    onDelivered: (notifications, views) => {
      metrics.notifications.inc(notifications)
      metrics.viewsComputed.inc(views)
    },
  })
  const sourceLimiter = new RateLimiter(clock, {
    burst: settings.publicationBurst,
    perSecond: settings.publicationsPerSecond,
  })
  const requestLimiter = new RateLimiter(clock, {
    burst: settings.requestsPerMinute,
    perSecond: settings.requestsPerMinute / 60,
  })
  // New subscriptions per watcher: a whole roster at once, then 5 a second, so that nobody can
  // probe the directory quickly.
  const subscriptionLimiter = new RateLimiter(clock, {
    burst: settings.subscriptionBurst,
    perSecond: 5,
  })
  const askerViews = new AskerViews({ engine, profiles, policies, clock, audit })
  const availability = new AvailabilityService({
    views: askerViews,
    profiles,
    policies,
    store,
    clock,
  })
  const outbound = new OutboundPolicy(settings.outboundHosts)
  const webhooks = new WebhookService({ store, hub, profiles, policies, clock, onError, outbound })
  webhooks.setTuning({
    ...(settings.webhookTimeoutMs === undefined ? {} : { timeoutMs: settings.webhookTimeoutMs }),
    ...(settings.webhookMaxAttempts === undefined
      ? {}
      : { maxAttempts: settings.webhookMaxAttempts }),
    ...(settings.webhookDisableAfter === undefined
      ? {}
      : { disableAfterFailures: settings.webhookDisableAfter }),
  })
  const scheduler = new Scheduler({ store, engine, profiles, clock, onError })
  const schedules = new ScheduleService({ store, scheduler, profiles, policies, clock, onError })
  const calendars = new CalendarService({
    store,
    scheduler,
    clock,
    onError,
    outbound,
    ...(args.expandCalendar ? { expand: args.expandCalendar } : {}),
  })
  const liveWho = new LiveWho({ availability, bus, policies })
  const sessions = new LiveSessions({ bus, clock, onError })
  const presence = new PresenceService({
    engine,
    store,
    profiles,
    clock,
    sourceLimiter,
    limits: settings,
    gracePeriodMs: settings.gracePeriodMs,
    onPublished: (seconds) => metrics.publishDuration.observe(seconds),
  })
  const notify = new NotifyService({ views: askerViews, hub, bus, clock })
  const gather = new GatherService({ availability, hub, bus, clock })
  const hoursTicker = new HoursTicker({
    clock,
    bus,
    profiles,
    policies,
    // A time boundary is a change of what watchers may see: it goes on the change channel, which
    // the hub and the live queries obey.
    onBoundary: (address) => policies.changed({ kind: 'presentity', address }),
    onError,
  })
  // A removed user is nobody: what acts or waits for them stops, and their soft state is forgotten
  // after the hub (subscribed first) has told their watchers.
  onAccessEnded(bus, ({ reason, address }) => {
    if (reason !== 'user-removed') return
    webhooks.ownerRemoved(address)
    hoursTicker.forget(address)
    notify.forgetUser(address)
    gather.forgetUser(address)
    engine.remove(address)
    profiles.forget(address)
  })
  const auth = new AuthService({
    store,
    clock,
    audit,
    ...loginLimitsOf(settings),
    onSignIn: (event) => {
      metrics.logins.inc({ outcome: event.outcome })
      args.onSignIn?.(event)
    },
    // Every revocation is an access event on the change channel: the tokens' sessions end at once.
    onTokensRevoked: (user, tokenIds, reason) => sessions.tokensRevoked(user, tokenIds, reason),
  })
  return {
    store,
    clock,
    settings,
    epoch: randomUUID().slice(0, 8),
    metrics,
    auth,
    users: new UserService({
      store,
      presence,
      sessions,
      profiles,
      policies,
      clock,
      auth,
      audit,
      onTimeZoneChanged: async (user) => {
        await schedules.userChanged(user)
        await calendars.userChanged(user)
      },
    }),
    presence,
    subscriptions: new SubscriptionService({
      store,
      engine,
      profiles,
      hub,
      clock,
      requestLimiter: subscriptionLimiter,
      policies,
      audit,
    }),
    privacy: new PrivacyService({ store, clock, policies, profiles, engine, hub, audit }),
    groups: new GroupService({ store, clock, policies, audit }),
    directory: new DirectoryService({ store, clock, profiles, policies, audit }),
    contactLists: new ContactListService({ store, clock }),
    audit,
    engine,
    profiles,
    policies,
    hub,
    askerViews,
    notify,
    availability,
    liveWho,
    gather,
    webhooks,
    integrations: new IntegrationService({ store, engine, profiles, clock, audit, onError }),
    scheduler,
    schedules,
    calendars,
    hoursTicker,
    outbound,
    requestLimiter,
    sessions,
    onError,
  }
}

/** Loads what is durable into the soft state at start: profiles, last seen, manual choices and notes. */
export const restoreDurableState = async (services: NarvaroServices): Promise<number> => {
  const { store, engine, profiles, clock } = services
  for (const organization of await store.listOrganizations()) {
    await services.policies.loadOrganization(store, organization.id)
    for (const user of await store.listUsers(organization.id)) {
      await profiles.refresh(user)
      if (user.lastSeen !== undefined) engine.seedLastSeen(user.address, user.lastSeen)
    }
  }
  const stored = await store.listPublications(clock.now())
  for (const { userId, publication } of stored) {
    const user = await store.getUser(userId)
    if (user) engine.publish(user.address, publication)
  }
  await services.webhooks.start()
  await services.scheduler.start()
  services.schedules.start()
  await services.calendars.start()
  return stored.length
}

/** Stops every timer, queue and background task of the services; the store is the caller's to close. */
export const stopServices = async (services: NarvaroServices): Promise<void> => {
  services.presence.stop()
  services.engine.stop()
  services.hub.close()
  services.notify.close()
  services.liveWho.stop()
  services.gather.close()
  services.integrations.stop()
  services.scheduler.stop()
  services.schedules.stop()
  services.calendars.stop()
  services.hoursTicker.stop()
  services.sessions.stop()
  await services.webhooks.close()
  await services.outbound.close()
  await services.audit.stop()
}

export type { NarvaroStore } from '../ports/narvaro-store.js'

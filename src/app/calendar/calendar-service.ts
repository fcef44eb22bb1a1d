// A person's calendars: uploaded iCalendar files and subscribed ICS URLs, expanded into scheduled
// in-a-meeting and out-of-office publications (free/busy too) and refreshed on a schedule; app layer.
import { NarvaroError } from '../../core/errors.js'
import type { Clock } from '../../ports/clock.js'
import type { CalendarFeed, CalendarFeedPatch, ScheduleStore } from '../../ports/schedule-store.js'
import type { PresenceStore, User } from '../../ports/store.js'
import type { CalendarExpansion } from './calendar-occurrence.js'
import { calendarOwner, calendarPublications } from './calendar-publications.js'
import type { CalendarExpander } from './worker-expander.js'
import { inThreadExpander } from './worker-expander.js'
import { checkCalendarUrl, fetchCalendar } from './fetch-calendar.js'
import type { OutboundPolicy } from '../shared/index.js'
import { ConcurrencyLimit, SerialWork } from './serial-work.js'
import type { Scheduler } from '../schedules/index.js'
import { TimerQueue } from '../shared/index.js'

const minute = 60_000
const day = 24 * 60 * minute

/** The limits of calendars; docs/integrations.md ("Calendars") states them. */
export const calendarLimits = {
  maxIcsBytes: 5 * 1024 * 1024,
  fetchTimeoutMs: 10_000,
  concurrentFetches: 4,
  defaultRefreshMinutes: 15,
  minRefreshMinutes: 5,
  maxRefreshMinutes: 1440,
  /** Occurrences are expanded from a day back to this many days ahead. */
  aheadDays: 30,
  feedsPerUser: 20,
  /** Warnings of the last read kept with a feed (the reply of a read has them all). */
  storedWarnings: 20,
} as const

/** What an import or refresh did: the feed, how many occurrences are planned, and what was skipped. */
export interface CalendarImport {
  readonly calendar: CalendarFeed
  readonly occurrences: number
  readonly warnings: readonly string[]
}

export interface CalendarSubscription {
  readonly name: string
  readonly url: string
  readonly refreshMinutes?: number
}

/** How long until a feed is read again: its own period for a URL, a day for an uploaded file. */
const periodOf = (feed: CalendarFeed): number =>
  feed.url === undefined
    ? day
    : (feed.refreshMinutes ?? calendarLimits.defaultRefreshMinutes) * minute

const notFound = () => new NarvaroError('NRV_NOT_FOUND', 'no such calendar')

const checkSize = (ics: string): void => {
  if (Buffer.byteLength(ics, 'utf8') > calendarLimits.maxIcsBytes) {
    throw new NarvaroError('NRV_PAYLOAD_TOO_LARGE', 'a calendar may be at most 5 MB')
  }
}

export class CalendarService {
  private readonly refresher: TimerQueue
  /** Every change of feeds and their occurrences, one at a time (expansion is CPU work). */
  private readonly work = new SerialWork()
  private readonly fetches = new ConcurrencyLimit(calendarLimits.concurrentFetches)
  private stopped = false

  constructor(
    private readonly deps: {
      readonly store: ScheduleStore & PresenceStore
      readonly scheduler: Scheduler
      readonly clock: Clock
      readonly onError: (error: unknown) => void
      /** Where expansion runs (a worker thread in the server); in this thread by default. */
      readonly expand?: CalendarExpander
      /** Where subscribed calendars may be fetched from; anywhere by default. */
      readonly outbound?: OutboundPolicy
    },
  ) {
    this.refresher = new TimerQueue(deps.clock, deps.onError)
  }

  /** Arms the refresh of every feed: at once where it is due (also to move the window on). */
  async start(): Promise<void> {
    const now = this.deps.clock.now()
    for (const feed of await this.deps.store.listCalendarFeeds()) {
      this.arm(feed.id, Math.max(now, (feed.refreshedAt ?? 0) + periodOf(feed)))
    }
  }

  stop(): void {
    this.stopped = true
    this.refresher.stop()
  }

  /** Imports a file as the feed `name`, replacing an uploaded feed of that name. */
  async upload(user: User, input: { name: string; ics: string }): Promise<CalendarImport> {
    checkSize(input.ics)
    return this.work.run(async () => {
      const expansion = await this.expand(input.ics, user.timeZone)
      const feeds = await this.deps.store.listCalendarFeeds(user.id)
      const same = feeds.find((feed) => feed.name === input.name)
      if (same?.url !== undefined) throw this.nameTaken(input.name)
      const read = { ics: input.ics, refreshedAt: this.deps.clock.now() }
      const feed = same
        ? await this.update(same.id, { ...read, lastError: undefined })
        : await this.create(user, feeds.length, { name: input.name, ...read })
      return this.publish(feed, expansion)
    })
  }

  /** Replaces the file of an uploaded feed. */
  async replace(user: User, id: string, ics: string): Promise<CalendarImport> {
    checkSize(ics)
    return this.work.run(async () => {
      const feed = await this.owned(user, id)
      if (feed.url !== undefined) {
        throw new NarvaroError('NRV_VALIDATION', 'a subscribed calendar is fetched, not uploaded')
      }
      const expansion = await this.expand(ics, user.timeZone)
      const patch = { ics, refreshedAt: this.deps.clock.now(), lastError: undefined }
      return this.publish(await this.update(id, patch), expansion)
    })
  }

  /** Subscribes to an ICS URL: fetched now (a failure is an error and nothing is kept), then on a schedule. */
  async subscribe(user: User, input: CalendarSubscription): Promise<CalendarImport> {
    await this.deps.outbound?.check(checkCalendarUrl(input.url))
    const { minRefreshMinutes: min, maxRefreshMinutes: max } = calendarLimits
    const every = input.refreshMinutes
    if (every !== undefined && !(Number.isInteger(every) && every >= min && every <= max)) {
      throw new NarvaroError('NRV_VALIDATION', `refreshMinutes must be from ${min} to ${max}`)
    }
    const ics = await this.fetch(input.url)
    return this.work.run(async () => {
      const expansion = await this.expand(ics, user.timeZone, true)
      const feeds = await this.deps.store.listCalendarFeeds(user.id)
      if (feeds.some((feed) => feed.name === input.name)) throw this.nameTaken(input.name)
      const feed = await this.create(user, feeds.length, {
        name: input.name,
        url: input.url,
        ...(every === undefined ? {} : { refreshMinutes: every }),
        ics,
        refreshedAt: this.deps.clock.now(),
      })
      return this.publish(feed, expansion)
    })
  }

  list(user: User): Promise<readonly CalendarFeed[]> {
    return this.deps.store.listCalendarFeeds(user.id)
  }

  /** Removes a feed; what it planned ends at once. */
  async remove(user: User, id: string): Promise<void> {
    await this.work.run(async () => {
      await this.owned(user, id)
      this.refresher.cancel(id)
      await this.deps.store.deleteCalendarFeed(id)
      await this.deps.scheduler.replace(calendarOwner(id), [])
    })
  }

  /** Reads a feed again now: fetches a URL, expands an uploaded file again. A failure is thrown. */
  async refresh(user: User, id: string): Promise<CalendarImport> {
    await this.owned(user, id)
    const result = await this.refreshFeed(id)
    if (result === undefined) throw notFound()
    if (result instanceof NarvaroError) throw result
    return result
  }

  /** Every feed of the user again, after their time zone changed (floating and all-day times). */
  async userChanged(user: User): Promise<void> {
    for (const { id } of await this.deps.store.listCalendarFeeds(user.id)) {
      await this.work.run(async () => {
        const feed = await this.deps.store.getCalendarFeed(id)
        if (feed?.ics === undefined) return
        await this.publish(feed, await this.expand(feed.ics, user.timeZone, feed.url !== undefined))
      })
    }
  }

  /** `fetched`: the text came from a URL, so errors never quote it (docs/integrations.md). */
  private expand(ics: string, timeZone: string, fetched = false): Promise<CalendarExpansion> {
    const now = this.deps.clock.now()
    return (this.deps.expand ?? inThreadExpander)(ics, {
      from: now - day,
      to: now + calendarLimits.aheadDays * day,
      defaultTimeZone: timeZone,
      quoteErrors: !fetched,
    })
  }

  /** Plans the occurrences of a good read, and keeps its warnings for the owner (also of a refresh). */
  private async publish(feed: CalendarFeed, expansion: CalendarExpansion): Promise<CalendarImport> {
    const items = calendarPublications(feed, expansion.occurrences)
    await this.deps.scheduler.replace(calendarOwner(feed.id), items)
    const warnings = expansion.warnings.slice(0, calendarLimits.storedWarnings)
    const same = warnings.join('\n') === (feed.warnings ?? []).join('\n')
    const stored = same ? feed : await this.update(feed.id, { warnings })
    return { calendar: stored, occurrences: items.length, warnings: expansion.warnings }
  }

  private fetch(url: string): Promise<string> {
    const limits = {
      timeoutMs: calendarLimits.fetchTimeoutMs,
      maxBytes: calendarLimits.maxIcsBytes,
    }
    const fetcher = this.deps.outbound?.fetch
    return this.fetches.run(() => fetchCalendar(url, { ...limits, ...(fetcher && { fetcher }) }))
  }

  /**
   * Reads a feed again and arms its next refresh. A failure is kept in `lastError` and returned;
   * the occurrences planned before stay in force. Undefined when the feed is gone.
   */
  private async refreshFeed(id: string): Promise<CalendarImport | NarvaroError | undefined> {
    const before = await this.deps.store.getCalendarFeed(id)
    if (!before) return undefined
    try {
      const ics = before.url === undefined ? (before.ics ?? '') : await this.fetch(before.url)
      return await this.work.run(() => this.reread(id, ics))
    } catch (error) {
      if (!(error instanceof NarvaroError)) throw error
      await this.update(id, { lastError: error.message }).catch(() => undefined)
      return error
    } finally {
      // Also after a failure; a feed removed meanwhile stops at its next turn (nothing to read).
      this.arm(id, this.deps.clock.now() + periodOf(before))
    }
  }

  private async reread(id: string, ics: string): Promise<CalendarImport | undefined> {
    const feed = await this.deps.store.getCalendarFeed(id)
    const user = feed && (await this.deps.store.getUser(feed.userId))
    if (!feed || !user) return undefined
    const expansion = await this.expand(ics, user.timeZone, feed.url !== undefined)
    const patch = { refreshedAt: this.deps.clock.now(), lastError: undefined }
    return this.publish(
      await this.update(id, ics === feed.ics ? patch : { ...patch, ics }),
      expansion,
    )
  }

  private arm(id: string, at: number): void {
    this.refresher.schedule(id, at, () => {
      if (this.stopped) return
      this.refreshFeed(id).catch(this.deps.onError)
    })
  }

  private async owned(user: User, id: string): Promise<CalendarFeed> {
    const feed = await this.deps.store.getCalendarFeed(id)
    if (!feed || feed.userId !== user.id) throw notFound()
    return feed
  }

  private async create(
    user: User,
    count: number,
    input: Omit<CalendarFeed, 'id' | 'userId' | 'createdAt'>,
  ): Promise<CalendarFeed> {
    if (count >= calendarLimits.feedsPerUser) {
      throw new NarvaroError('NRV_VALIDATION', `at most ${calendarLimits.feedsPerUser} calendars`)
    }
    const now = this.deps.clock.now()
    const feed = await this.deps.store.createCalendarFeed({
      ...input,
      userId: user.id,
      createdAt: now,
    })
    this.arm(feed.id, now + periodOf(feed))
    return feed
  }

  private async update(id: string, patch: CalendarFeedPatch): Promise<CalendarFeed> {
    const feed = await this.deps.store.updateCalendarFeed(id, patch)
    if (!feed) throw notFound()
    return feed
  }

  private nameTaken(name: string): NarvaroError {
    return new NarvaroError(
      'NRV_CONFLICT',
      `a calendar named ${JSON.stringify(name)} exists already`,
    )
  }
}

// The ScheduleStore contract: scheduled publications replaced per owner and read by overlap, pruned by
// end; schedule entries and calendar feeds per user, removed with their user; contract tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScheduleStore, ScheduledPublication } from '../../src/ports/schedule-store.js'
import type { PresenceStore, User } from '../../src/ports/store.js'
import { hour, seedStore, t0 } from './presence-store-fixtures.js'

type Store = PresenceStore & ScheduleStore & { migrate(): Promise<void>; close(): Promise<void> }

export const describeScheduleStoreContract = (name: string, open: () => Promise<Store>): void => {
  describe(`ScheduleStore contract: ${name}`, () => {
    let store: Store
    let alice: User
    let bob: User
    const item = (
      user: User,
      owner: string,
      startsAt: number,
      extra: Partial<ScheduledPublication> = {},
    ) =>
      ({
        userId: user.id,
        owner,
        sourceId: `${owner}:${startsAt}`,
        sourceKind: 'calendar',
        state: { activities: [{ kind: 'in-a-meeting', until: startsAt + hour }] },
        startsAt,
        endsAt: startsAt + hour,
        freeBusy: 'busy',
        ...extra,
      }) satisfies ScheduledPublication

    beforeEach(async () => {
      ;({ store, alice, bob } = await seedStore(await open()))
    })
    afterEach(() => store.close())

    it('replaces the scheduled publications of one owner and leaves the others', async () => {
      const a1 = item(alice, 'calendar:a', t0)
      const a2 = item(alice, 'calendar:a', t0 + 2 * hour)
      const b1 = item(bob, 'schedule:b', t0, {
        sourceKind: 'schedule',
        state: { availability: 'do-not-disturb' },
      })
      const { freeBusy: _unused, ...withoutFreeBusy } = b1
      await store.replaceScheduledPublications('calendar:a', [a1, a2])
      await store.replaceScheduledPublications('schedule:b', [withoutFreeBusy])
      expect(await store.listScheduledPublications({ from: t0, to: t0 + day })).toStrictEqual([
        a1,
        withoutFreeBusy,
        a2,
      ])
      await store.replaceScheduledPublications('calendar:a', [a2])
      expect(
        await store.listScheduledPublications({ from: t0, to: t0 + day, userId: alice.id }),
      ).toStrictEqual([a2])
      await store.replaceScheduledPublications('calendar:a', [])
      expect(await store.listScheduledPublications({ from: t0, to: t0 + day })).toStrictEqual([
        withoutFreeBusy,
      ])
    })

    it('lists what overlaps the window: ended before or starting at its end is out', async () => {
      const items = [
        item(alice, 'c', t0 - hour),
        item(alice, 'c', t0 - hour / 2),
        item(alice, 'c', t0 + hour),
      ]
      await store.replaceScheduledPublications('c', items)
      expect(await store.listScheduledPublications({ from: t0, to: t0 + hour })).toStrictEqual([
        items[1],
      ])
    })

    it('writes many at once and prunes what ended', async () => {
      const many = Array.from({ length: 250 }, (_, i) => item(alice, 'c', t0 + i * hour))
      await store.replaceScheduledPublications('c', many)
      expect(
        await store.listScheduledPublications({ from: 0, to: Number.MAX_SAFE_INTEGER }),
      ).toHaveLength(250)
      expect(await store.pruneScheduledPublications(t0 + 10 * hour)).toBe(10)
      expect(
        (await store.listScheduledPublications({ from: 0, to: Number.MAX_SAFE_INTEGER }))[0],
      ).toStrictEqual(many[10])
    })

    it('keeps schedule entries per user and deletes them', async () => {
      const entry = await store.createScheduleEntry({
        userId: alice.id,
        name: 'quiet evenings',
        set: { availability: 'do-not-disturb', note: 'Off for the evening' },
        when: { weekly: [{ days: ['mon', 'tue'], start: '18:00', end: '22:00' }] },
        createdAt: t0,
      })
      const once = await store.createScheduleEntry({
        userId: bob.id,
        name: 'office day',
        set: { workLocation: { mode: 'office', site: 'HQ' } },
        when: { once: { startsAt: t0, endsAt: t0 + hour } },
        createdAt: t0 + 1,
      })
      expect(await store.getScheduleEntry(entry.id)).toStrictEqual(entry)
      expect(await store.listScheduleEntries(alice.id)).toStrictEqual([entry])
      expect(await store.listScheduleEntries()).toStrictEqual([entry, once])
      expect(await store.deleteScheduleEntry(entry.id)).toBe(true)
      expect(await store.deleteScheduleEntry(entry.id)).toBe(false)
      expect(await store.getScheduleEntry(entry.id)).toBeUndefined()
    })

    it('keeps calendar feeds, updates them partly and can clear the last error and warnings', async () => {
      const feed = await store.createCalendarFeed({
        userId: alice.id,
        name: 'work',
        url: 'http://cal.lan/a.ics',
        refreshMinutes: 30,
        createdAt: t0,
      })
      expect(await store.getCalendarFeed(feed.id)).toStrictEqual(feed)
      expect(feed.refreshMinutes).toBe(30)
      const failed = await store.updateCalendarFeed(feed.id, {
        lastError: 'HTTP 404',
        refreshedAt: t0 + 1,
      })
      expect(failed).toStrictEqual({ ...feed, lastError: 'HTTP 404', refreshedAt: t0 + 1 })
      const fixed = await store.updateCalendarFeed(feed.id, {
        lastError: undefined,
        ics: 'BEGIN:VCALENDAR',
      })
      expect(fixed).toStrictEqual({ ...feed, ics: 'BEGIN:VCALENDAR', refreshedAt: t0 + 1 })
      const warned = await store.updateCalendarFeed(feed.id, { warnings: ['event a: skipped'] })
      expect(warned?.warnings).toStrictEqual(['event a: skipped'])
      const clean = await store.updateCalendarFeed(feed.id, { warnings: [] })
      expect(clean).toStrictEqual(fixed)
      expect(await store.listCalendarFeeds(bob.id)).toStrictEqual([])
      expect(await store.deleteCalendarFeed(feed.id)).toBe(true)
      expect(await store.listCalendarFeeds()).toStrictEqual([])
    })

    it('removing a user removes their schedules, calendars and scheduled publications', async () => {
      await store.createScheduleEntry({
        userId: alice.id,
        name: 'x',
        set: { availability: 'busy' },
        when: { once: { startsAt: t0, endsAt: t0 + 1 } },
        createdAt: t0,
      })
      await store.createCalendarFeed({ userId: alice.id, name: 'work', createdAt: t0 })
      await store.replaceScheduledPublications('c', [item(alice, 'c', t0)])
      await store.deleteUser(alice.id)
      expect(await store.listScheduleEntries()).toStrictEqual([])
      expect(await store.listCalendarFeeds()).toStrictEqual([])
      expect(
        await store.listScheduledPublications({ from: 0, to: Number.MAX_SAFE_INTEGER }),
      ).toStrictEqual([])
    })
  })
}

const day = 24 * hour

// Working hours and schedules for the integrations scenario, written into a copy of the users'
// template through the store adapter of dist/ (as the server stores them) before Närvaro starts on
// it; bench support.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { nowMs } from './clock.js'
import { benchDomain, repoRoot } from './targets.js'

const minuteMs = 60_000
const dayMs = 24 * 60 * minuteMs
const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const clockOf = (at) => new Date(at).toISOString().slice(11, 16)

/** The first whole UTC minute at least `leadMs` from now (epoch ms). */
export const boundaryAfter = (leadMs) => Math.ceil((Date.now() + leadMs) / minuteMs) * minuteMs

/**
 * Working hours (UTC) that hold now and end at `boundary`: one span from two hours ago, an
 * overnight one when the boundary is on the next day (a span belongs to the day it starts on).
 */
export const hoursEndingAt = (boundary) => {
  const start = Math.floor((Date.now() - 2 * 3_600_000) / minuteMs) * minuteMs
  return [
    {
      days: [weekdays[new Date(start).getUTCDay()]],
      start: clockOf(start),
      end: clockOf(boundary),
    },
  ]
}

/** A weekly do-not-disturb evening three days ahead: expanded, stored, and never live during a run. */
const eveningEntry = (userId, n, now) => ({
  userId,
  name: `evenings ${n}`,
  set: { availability: 'do-not-disturb', note: 'Evenings off' },
  when: {
    weekly: [
      { days: [weekdays[new Date(now + 3 * dayMs).getUTCDay()]], start: '18:00', end: '20:00' },
    ],
  },
  createdAt: now,
})

/**
 * Gives every member of the bench organization in the database of `dataDir` the working hours
 * `hours`, and adds `schedules` weekly schedule entries (spread over the members in turn) with their
 * scheduled publications expanded two weeks ahead, as the server's schedule service would.
 * @returns {Promise<{ people: number, schedules: number, scheduledPublications: number, ms: number }>}
 */
export const seedHoursAndSchedules = async (dataDir, { hours, schedules }) => {
  const started = nowMs()
  const dist = (path) => import(pathToFileURL(join(repoRoot, 'dist', path)).href)
  const { openSqliteStore } = await dist('adapters/store/sqlite/sqlite-store.js')
  const { expandScheduleEntry, scheduleOwner } = await dist('app/schedule-expansion.js')
  const store = await openSqliteStore({ file: join(dataDir, 'narvaro.db') })
  try {
    const organization = await store.getOrganizationByDomain(benchDomain)
    if (!organization) throw new Error('the bench organization is missing from the template')
    const members = (await store.listUsers(organization.id)).filter((u) => u.role === 'member')
    for (const user of members) await store.updateUser(user.id, { workingHours: hours })
    const now = Date.now()
    const window = { from: now - dayMs, to: now + 14 * dayMs }
    let scheduledPublications = 0
    for (let n = 0; n < schedules && members.length > 0; n++) {
      const user = members[n % members.length]
      const entry = await store.createScheduleEntry(eveningEntry(user.id, n, now))
      const items = expandScheduleEntry(entry, user.timeZone, window)
      await store.replaceScheduledPublications(scheduleOwner(entry.id), items)
      scheduledPublications += items.length
    }
    return {
      people: members.length,
      schedules,
      scheduledPublications,
      ms: nowMs() - started,
    }
  } finally {
    await store.close()
  }
}

// A view as a PIDF document (RFC 3863) in the data model of RFC 4479 with RPID (RFC 4480): one
// service tuple (open or closed), the person's activities, mood, place type, note and time offset,
// and the devices the view shows. Only what the view holds is written: a watcher's document never
// says more than that watcher's view. Built with ltx. Transport layer.
import { Element } from 'ltx'
import type { Activity, ActivityKind } from '../../core/model/presence-model.js'
import type { View } from '../../core/policy/compute-view.js'

export const pidfNs = 'urn:ietf:params:xml:ns:pidf'
export const dataModelNs = 'urn:ietf:params:xml:ns:pidf:data-model'
export const rpidNs = 'urn:ietf:params:xml:ns:pidf:rpid'

/** RPID activities (RFC 4480 §3.2) of Närvaro's; `undefined`: `<rpid:other>` with the label. */
const rpidActivity: Record<Exclude<ActivityKind, 'custom'>, string | undefined> = {
  'in-a-call': 'on-the-phone',
  'in-a-conference': 'meeting',
  'in-a-meeting': 'meeting',
  presenting: 'presentation',
  focusing: undefined,
  'out-of-office': 'away',
  'on-vacation': 'vacation',
  commuting: 'travel',
  'off-work': undefined,
}

/** The activity an availability implies, as phones show it (busy lamp, away). */
const availabilityActivity: Partial<Record<View['availability'], string>> = {
  busy: 'busy',
  'do-not-disturb': 'busy',
  away: 'away',
  'be-right-back': 'away',
}

const otherText: Partial<Record<View['availability'], string>> = {
  'do-not-disturb': 'do-not-disturb',
  'be-right-back': 'be-right-back',
}

const activityElements = (view: View): Element[] => {
  const out: Element[] = []
  const implied = availabilityActivity[view.availability]
  if (implied) out.push(new Element(`rpid:${implied}`))
  const other = otherText[view.availability]
  if (other) out.push(new Element('rpid:other').t(other))
  for (const activity of view.activities ?? []) out.push(activityElement(activity))
  return out
}

const activityElement = (activity: Activity): Element => {
  if (activity.kind === 'custom') return new Element('rpid:other').t(activity.text ?? 'custom')
  const rpid = rpidActivity[activity.kind]
  return rpid ? new Element(`rpid:${rpid}`) : new Element('rpid:other').t(activity.kind)
}

/** Formatters of time zones met so far: making one costs far more than using it. */
const zoneFormatters = new Map<string, Intl.DateTimeFormat | null>()
const maxZoneFormatters = 1000

const zoneFormatter = (timeZone: string): Intl.DateTimeFormat | null => {
  let formatter = zoneFormatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    } catch {
      formatter = null
    }
    if (zoneFormatters.size >= maxZoneFormatters) zoneFormatters.clear()
    zoneFormatters.set(timeZone, formatter)
  }
  return formatter
}

/** Minutes east of UTC in `timeZone` at `now` (RPID time-offset). */
const offsetMinutes = (timeZone: string, now: number): number | undefined => {
  const formatter = zoneFormatter(timeZone)
  if (!formatter) return undefined
  const name = formatter.formatToParts(new Date(now)).find((p) => p.type === 'timeZoneName')?.value
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? '')
  if (!match) return 0
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
}

/** The moods of RPID (RFC 4480 §3.5). */
const rpidMoods: ReadonlySet<string> = new Set(
  (
    'afraid amazed angry annoyed anxious ashamed bored brave calm cold confused contented cranky ' +
    'curious depressed disappointed disgusted distracted embarrassed excited flirtatious frustrated ' +
    'grumpy guilty happy hot humbled humiliated hungry hurt impressed in_awe in_love indignant ' +
    'interested invincible jealous lonely mean moody nervous neutral offended playful proud relieved ' +
    'remorseful restless sad sarcastic serious shocked shy sick sleepy stressed surprised thirsty ' +
    'worried'
  ).split(' '),
)

/** A mood naming an RPID value is that element; any other is `<rpid:other>` with its text. */
const moodElement = (mood: string): Element => {
  const value = mood.trim().toLowerCase().replace(/\s+/g, '_')
  return rpidMoods.has(value) ? new Element(`rpid:${value}`) : new Element('rpid:other').t(mood)
}

const personElement = (view: View, now: number): Element => {
  const person = new Element('dm:person', { id: 'p' })
  const activities = activityElements(view)
  if (activities.length > 0) {
    const container = person.c('rpid:activities')
    for (const a of activities) container.cnode(a)
  }
  if (view.mood) person.c('rpid:mood').cnode(moodElement(view.mood))
  if (view.place) person.c('rpid:place-type').c('rpid:other').t(view.place)
  if (view.timeZone) {
    const minutes = offsetMinutes(view.timeZone, now)
    if (minutes !== undefined) person.c('rpid:time-offset').t(String(minutes))
  }
  if (view.note) person.c('dm:note').t(view.note.text)
  return person
}

const deviceElement = (device: NonNullable<View['devices']>[number]): Element => {
  const element = new Element('dm:device', {
    id: `d-${device.id.replace(/[^A-Za-z0-9._-]/g, '_')}`,
  })
  if (device.idle) element.c('rpid:user-input').t('idle')
  else element.c('rpid:user-input').t('active')
  element.c('dm:deviceID').t(`urn:x-narvaro:device:${encodeURIComponent(device.id)}`)
  if (device.name) element.c('dm:note').t(device.name)
  return element
}

/** The PIDF document of `view` for `entity` (the presentity's SIP URI), at `now`. */
export const pidfOf = (view: View, entity: string, now: number): string => {
  const presence = new Element('presence', {
    xmlns: pidfNs,
    'xmlns:dm': dataModelNs,
    'xmlns:rpid': rpidNs,
    entity,
  })
  const open = view.availability !== 'offline'
  const tuple = presence.c('tuple', { id: 'sip' })
  tuple
    .c('status')
    .c('basic')
    .t(open ? 'open' : 'closed')
  if (open) tuple.c('contact').t(entity)
  presence.cnode(personElement(view, now))
  for (const device of view.devices ?? []) presence.cnode(deviceElement(device))
  return `<?xml version="1.0" encoding="UTF-8"?>\n${presence.toString()}`
}

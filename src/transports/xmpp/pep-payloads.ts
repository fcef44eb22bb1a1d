// What a client publishes through PEP (XEP-0163) as Närvaro publication fields of its device: User
// Activity (XEP-0108) as activities, User Location (XEP-0080) as location, User Mood (XEP-0107) as
// mood. An empty payload clears the field; an invalid one is `bad-request`. Transport layer.
import type { Element } from 'ltx'
import type { Activity, ActivityKind, Location } from '../../core/model/presence-model.js'
import { activityNs, activityOf, geolocNs, moodNs, type PepNode } from './pep-map.js'
import { moodOfPayload } from './mood-map.js'

/** The publication fields one PEP node sets (undefined: cleared). */
export interface PepFields {
  activities?: readonly Activity[] | undefined
  location?: Location | undefined
  mood?: string | undefined
}

/** XEP-0108 §3 general activities. */
const generalActivities = new Set([
  'doing_chores',
  'drinking',
  'eating',
  'exercising',
  'grooming',
  'having_appointment',
  'inactive',
  'relaxing',
  'talking',
  'traveling',
  'undefined',
  'working',
])

/** The Närvaro activity of a general/specific pair: the first that renders as it, else none. */
const kindOf = new Map<string, ActivityKind>()
for (const [kind, [general, specific]] of Object.entries(activityOf) as [
  ActivityKind,
  readonly [string, string?],
][]) {
  const key = `${general}/${specific ?? ''}`
  if (kind !== 'custom' && !kindOf.has(key)) kindOf.set(key, kind)
}
// Plain `working` is more often focused work than presenting.
kindOf.set('working/', 'focusing')

const activityOfPayload = (payload: Element): PepFields | 'bad-request' => {
  const text = payload.getChildText('text')?.trim().slice(0, 200)
  const parts = payload.getChildElements().filter((child) => child.name !== 'text')
  if (parts.length === 0) return text ? 'bad-request' : { activities: undefined }
  const general = parts[0]!
  const specific = general.getChildElements()[0]?.name
  if (parts.length > 1 || !generalActivities.has(general.name)) return 'bad-request'
  const kind = kindOf.get(`${general.name}/${specific ?? ''}`)
  const words = (specific ?? general.name).replace(/_/g, ' ').slice(0, 200)
  const activity: Activity = kind
    ? { kind, ...(text ? { text } : {}) }
    : { kind: 'custom', text: text || words }
  return { activities: [activity] }
}

/** A number within bounds, undefined when absent, NaN when invalid. */
const numberIn = (element: Element, name: string, [min, max]: readonly [number, number]) => {
  const raw = element.getChildText(name)?.trim()
  if (raw === undefined) return undefined
  const value = raw === '' ? NaN : Number(raw)
  return value >= min && value <= max ? value : NaN
}

const locationOfPayload = (payload: Element): PepFields | 'bad-request' => {
  const text = (name: string) => payload.getChildText(name)?.trim().slice(0, 100) || undefined
  const fields: Location = {
    country: text('country'),
    city: text('locality'),
    latitude: numberIn(payload, 'lat', [-90, 90]),
    longitude: numberIn(payload, 'lon', [-180, 180]),
    accuracy: numberIn(payload, 'accuracy', [0, Number.MAX_VALUE]),
  }
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined)
  if (entries.some(([, value]) => Number.isNaN(value))) return 'bad-request'
  return { location: entries.length > 0 ? (Object.fromEntries(entries) as Location) : undefined }
}

const readers: Record<PepNode, (payload: Element) => PepFields | 'bad-request'> = {
  [activityNs]: activityOfPayload,
  [geolocNs]: locationOfPayload,
  [moodNs]: (payload) => {
    const mood = moodOfPayload(payload)
    return mood === 'bad-request' ? mood : { mood }
  },
}

/** The payload element each node takes. */
export const payloadNames: Record<PepNode, string> = {
  [activityNs]: 'activity',
  [geolocNs]: 'geoloc',
  [moodNs]: 'mood',
}

/** The fields a payload published to `node` sets; `bad-request` when it is not that node's payload. */
export const fieldsOfPayload = (node: PepNode, payload: Element): PepFields | 'bad-request' =>
  payload.name === payloadNames[node] && payload.getNS() === node
    ? readers[node](payload)
    : 'bad-request'

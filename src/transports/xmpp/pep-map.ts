// Rich presence over PEP (XEP-0163): what the watcher's view shows of activities (User Activity,
// XEP-0108), mood (User Mood, XEP-0107) and location (User Location, XEP-0080) as pubsub event
// notifications, sent only to clients that asked for them (`+notify` in their entity capabilities,
// XEP-0115). An empty item is sent when the view holds none, so a hidden or ended one disappears from
// the client at once.
// Transport layer; the view already is what the watcher may see.
import { escapeXML } from 'ltx'
import type { ActivityKind } from '../../core/model/presence-model.js'
import type { View } from '../../core/policy/compute-view.js'
import type { RenderedPresence } from './presence-map.js'
import { moodNs, moodXml } from './mood-map.js'

export const activityNs = 'http://jabber.org/protocol/activity'
export const geolocNs = 'http://jabber.org/protocol/geoloc'
export { moodNs }
export const pepNodes = [activityNs, geolocNs, moodNs] as const
export type PepNode = (typeof pepNodes)[number]

/** XEP-0108 general and specific activity of each Närvaro activity. */
export const activityOf: Record<ActivityKind, readonly [string, string?]> = {
  'in-a-call': ['talking', 'on_the_phone'],
  'in-a-conference': ['talking', 'on_video_phone'],
  'in-a-meeting': ['working', 'in_a_meeting'],
  presenting: ['working'],
  focusing: ['working'],
  'out-of-office': ['inactive', 'day_off'],
  'on-vacation': ['inactive', 'on_vacation'],
  commuting: ['traveling', 'commuting'],
  'off-work': ['relaxing'],
  custom: ['undefined'],
}

const activityXml = (view: View): string => {
  const activity = view.activities?.[0]
  if (!activity) return `<activity xmlns="${activityNs}"/>`
  const [general, specific] = activityOf[activity.kind]
  const text = activity.text ? `<text>${escapeXML(activity.text)}</text>` : ''
  return `<activity xmlns="${activityNs}"><${general}>${specific ? `<${specific}/>` : ''}</${general}>${text}</activity>`
}

const geolocXml = (view: View): string => {
  const location = view.location
  if (!location) return `<geoloc xmlns="${geolocNs}"/>`
  const fields: [string, string | number | undefined][] = [
    ['country', location.country],
    ['locality', location.city],
    ['lat', location.latitude],
    ['lon', location.longitude],
    ['accuracy', location.accuracy],
  ]
  const body = fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXML(String(value))}</${name}>`)
    .join('')
  return `<geoloc xmlns="${geolocNs}">${body}</geoloc>`
}

const payloads: Record<PepNode, (view: View) => string> = {
  [activityNs]: activityXml,
  [geolocNs]: geolocXml,
  [moodNs]: (view) => moodXml(view.mood),
}

/** The PEP notification of one node for a view, cut around its `to` like the presence. */
export const renderPep = (from: string, node: PepNode, view: View): RenderedPresence => ({
  prefix: `<message from="${escapeXML(from)}" type="headline" to="`,
  suffix: `"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="${node}"><item id="current">${payloads[node](view)}</item></items></event></message>`,
})

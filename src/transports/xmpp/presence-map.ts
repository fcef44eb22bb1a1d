// Translation between Närvaro presence and XMPP presence stanzas (RFC 6121 §4.7): a view the core
// computed for a watcher becomes <show>/<status>/<idle/>, and a client's presence becomes a device
// publication. Nothing here decides what a watcher sees: the view already is that. Transport layer.
import { createHash } from 'node:crypto'
import type { Element } from 'ltx'
import { escapeXML } from 'ltx'
import type { ActivityKind } from '../../core/model/presence-model.js'
import type { View } from '../../core/policy/compute-view.js'

type Availability = View['availability']
type SourceAvailability = Exclude<Availability, 'offline'>

/** The `<show/>` of each availability (none: plain available). */
const showOf: Record<SourceAvailability, string | undefined> = {
  available: undefined,
  busy: 'dnd',
  'do-not-disturb': 'dnd',
  'be-right-back': 'away',
  away: 'away',
}

/** The availability of a client's `<show/>` (RFC 6121 §4.7.2.1); unknown values are refused. */
const availabilityOfShow: Record<string, SourceAvailability> = {
  '': 'available',
  chat: 'available',
  away: 'away',
  xa: 'away',
  dnd: 'do-not-disturb',
}

const activityLabels: Record<Exclude<ActivityKind, 'custom'>, string> = {
  'in-a-call': 'In a call',
  'in-a-conference': 'In a conference',
  'in-a-meeting': 'In a meeting',
  presenting: 'Presenting',
  focusing: 'Focusing',
  'out-of-office': 'Out of office',
  'on-vacation': 'On vacation',
  commuting: 'Commuting',
  'off-work': 'Off work',
}

/** The status text a plain client shows: the note, else what the person is doing. */
const statusOf = (view: View): string | undefined => {
  if (view.note) return view.note.text
  const activity = view.activities?.[0]
  if (!activity) return undefined
  if (activity.kind === 'custom') return activity.text
  return activityLabels[activity.kind]
}

/** Every device the watcher may see is idle: the person is, since when they were last seen. */
const idleSince = (view: View): number | undefined => {
  const devices = view.devices
  if (!devices || devices.length === 0 || !devices.every((device) => device.idle)) return undefined
  return view.lastSeen
}

/**
 * A view as a presence stanza, cut before and after its `to` attribute, so one rendering serves
 * every watcher of the same view: `prefix + escapedJid + suffix`.
 */
export interface RenderedPresence {
  readonly prefix: string
  readonly suffix: string
}

export const renderPresence = (from: string, view: View | undefined): RenderedPresence => {
  const prefix = `<presence from="${escapeXML(from)}" to="`
  if (!view || view.availability === 'offline') {
    return { prefix, suffix: '" type="unavailable"/>' }
  }
  const show = showOf[view.availability]
  const status = statusOf(view)
  const idle = idleSince(view)
  const body =
    (show ? `<show>${show}</show>` : '') +
    (status ? `<status>${escapeXML(status)}</status>` : '') +
    (idle !== undefined
      ? `<idle xmlns="urn:xmpp:idle:1" since="${new Date(idle).toISOString()}"/>`
      : '')
  return { prefix, suffix: body ? `">${body}</presence>` : '"/>' }
}

export const presenceFor = (rendered: RenderedPresence, to: string): string =>
  rendered.prefix + escapeXML(to) + rendered.suffix

/** A device source id for an XMPP resource: readable, valid for the core, unique per resource. */
export const sourceOfResource = (resource: string): string => {
  const readable = resource.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)
  const hash = createHash('sha256').update(resource).digest('hex').slice(0, 8)
  return `xmpp-${readable}-${hash}`
}

/** What an available presence of a client publishes for its resource's device. */
export interface PresencePublication {
  readonly availability: SourceAvailability
  readonly note?: { readonly text: string }
  readonly idle: boolean
}

/** Reads a client's available presence; an unknown `<show/>` is a bad request. */
export const publicationOf = (presence: Element): PresencePublication | 'bad-request' => {
  const show = (presence.getChildText('show') ?? '').trim()
  const availability = availabilityOfShow[show]
  if (!availability) return 'bad-request'
  const status = presence.getChildText('status')?.trim().slice(0, 500)
  const idle = presence.getChild('idle', 'urn:xmpp:idle:1') !== undefined
  return { availability, ...(status ? { note: { text: status } } : {}), idle }
}

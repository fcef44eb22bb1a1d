// Presence and views as one-line and multi-line text, with provenance ("busy — manual choice until
// 17:00"); CLI layer, pure.
import type { Static } from 'typebox'
import type { AvailabilityProvenance, Presence } from '../../core/aggregation/presence.js'
import type { ViewSchema } from '../../transports/shared/presence-schemas.js'
import { formatTable, formatWhen } from './output.js'

export type WireView = Static<typeof ViewSchema>
type WireActivity = NonNullable<WireView['activities']>[number]

export const activityText = (activity: WireActivity): string =>
  activity.kind === 'custom' && activity.text ? activity.text : activity.kind

export const activitiesText = (activities: readonly WireActivity[] | undefined): string =>
  (activities ?? []).map(activityText).join(', ')

/** `phone desk-phone`, or just `manual` when the source is named after its kind. */
const sourceText = (kind: string | undefined, id: string | undefined): string =>
  !id || id === kind ? (kind ?? 'source') : `${kind ?? 'source'} ${id}`

const ruleText = (p: AvailabilityProvenance): string => {
  switch (p.rule) {
    case 'manual':
      return 'manual choice'
    case 'invisible':
      return 'manual choice (watchers see offline)'
    case 'activity':
      return `${p.activity ?? 'activity'} from ${sourceText(p.sourceKind, p.sourceId)}`
    case 'scheduled':
      return `schedule ${p.sourceId ?? ''}`.trimEnd()
    case 'device':
      return `device ${p.sourceId ?? ''}`.trimEnd()
    case 'idle':
      return `idle on device ${p.sourceId ?? ''}`.trimEnd()
    case 'no-live-source':
      return 'no live source'
  }
}

/** Which source decided the availability, and until when: "manual choice until 17:00". */
export const provenanceText = (p: AvailabilityProvenance, now = Date.now()): string =>
  p.until === undefined ? ruleText(p) : `${ruleText(p)} until ${formatWhen(p.until, now)}`

const noteText = (note: { text: string; expiresAt?: number } | undefined, now: number): string =>
  !note
    ? ''
    : note.expiresAt === undefined
      ? JSON.stringify(note.text)
      : `${JSON.stringify(note.text)} until ${formatWhen(note.expiresAt, now)}`

/** `office (Stockholm HQ)`, `remote`, `travelling`. */
export const workLocationText = (w: { mode: string; site?: string }): string =>
  w.site ? `${w.mode} (${w.site})` : w.mode

/** The owner's own presence: availability with provenance, then its parts as a two-column list. */
export const describeOwnPresence = (presence: Presence, now = Date.now()): string => {
  const why = provenanceText(presence.provenance.availability, now)
  const head = `${presence.address}  ${presence.availability} — ${why}`
  const rows: string[][] = []
  for (const { activity, sourceKind, sourceId } of presence.provenance.activities) {
    rows.push(['activity', `${activityText(activity)} (${sourceText(sourceKind, sourceId)})`])
  }
  if (presence.note) rows.push(['note', noteText(presence.note, now)])
  if (presence.workLocation) {
    const from = presence.provenance.workLocation ?? ''
    rows.push(['works', `${workLocationText(presence.workLocation)} (${from})`])
  }
  for (const device of presence.devices) {
    const name = device.name ? `${device.id} (${device.name})` : device.id
    rows.push(['device', `${name}: ${device.availability}${device.idle ? ', idle' : ''}`])
  }
  if (presence.lastSeen !== undefined) rows.push(['last seen', formatWhen(presence.lastSeen, now)])
  if (rows.length === 0) return head
  const list = formatTable(['', ''], rows)
    .split('\n')
    .slice(1)
    .map((line) => `  ${line}`)
  return [head, ...list].join('\n')
}

/** One line of a view: `bob@example.com busy (in-a-call) "note"`. */
export const viewLine = (view: WireView, now = Date.now()): string => {
  const parts = [view.address, view.availability]
  const activities = activitiesText(view.activities)
  if (activities) parts.push(`(${activities})`)
  if (view.note) parts.push(JSON.stringify(view.note.text))
  if (view.availability === 'offline' && view.lastSeen !== undefined) {
    parts.push(`(last seen ${formatWhen(view.lastSeen, now)})`)
  }
  return parts.join(' ')
}

/** Someone's view, in full: what policy lets me see. */
export const describeView = (view: WireView, now = Date.now()): string => {
  const rows: string[][] = [['availability', view.availability]]
  if (view.displayName) rows.unshift(['name', view.displayName])
  const activities = activitiesText(view.activities)
  if (activities) rows.push(['activities', activities])
  if (view.note) rows.push(['note', noteText(view.note, now)])
  if (view.place) rows.push(['place', view.place])
  if (view.workLocation) rows.push(['works', workLocationText(view.workLocation)])
  if (view.timeZone) rows.push(['time zone', view.timeZone])
  for (const method of view.contactMethods ?? []) {
    const state = method.reachable ? 'reachable' : 'not reachable now'
    rows.push([method.kind, `${method.address} (${method.scope}, ${state})`])
  }
  if (view.lastSeen !== undefined) rows.push(['last seen', formatWhen(view.lastSeen, now)])
  const list = formatTable(['', ''], rows)
    .split('\n')
    .slice(1)
    .map((line) => `  ${line}`)
  return [view.address, ...list].join('\n')
}

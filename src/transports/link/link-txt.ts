// The TXT record of a link-local presence (XEP-0174 §6 over DNS-SD, RFC 6763 §6): what the view of
// "everyone on the link" holds, as `txtvers`, `1st`, `last`, `nick`, `status` (avail, away, dnd),
// `msg`, and `email`/`jid` only when that view shows such a contact method; and a record read from
// the link as the state of one source, checked against the schema of every publication. Records are
// kept within DNS-SD's size limits (255 bytes a string, 1,300 a record). Transport layer.
import { Compile } from 'typebox/compile'
import type { SourcePublicationInput } from '../../app/presence/index.js'
import type { View } from '../../core/policy/compute-view.js'
import { SourcePublicationSchema } from '../shared/presence-schemas.js'

/** One `key=value` string of a TXT record is at most 255 bytes (RFC 6763 §6.1). */
export const maxTxtStringBytes = 255
/** A whole TXT record, so that the answer fits one Ethernet-sized packet (RFC 6763 §6.2). */
export const maxTxtRecordBytes = 1300

export type TxtRecord = Readonly<Record<string, string>>

/** XEP-0174's `status` of an availability: `avail`, `away` or `dnd`. */
const statusOf: Record<View['availability'], string | undefined> = {
  available: 'avail',
  busy: 'dnd',
  'do-not-disturb': 'dnd',
  'be-right-back': 'away',
  away: 'away',
  offline: undefined,
}

/** Cuts `value` so that `key=value` fits one TXT string, on a character boundary. */
const fit = (key: string, value: string): string => {
  let out = value
  while (Buffer.byteLength(`${key}=${out}`) > maxTxtStringBytes) out = out.slice(0, -1)
  return out
}

/** The given and family names of a display name: the first word and the rest. */
const namesOf = (displayName: string): { first: string; last?: string } => {
  const [first = displayName, ...rest] = displayName.trim().split(/\s+/)
  return rest.length > 0 ? { first, last: rest.join(' ') } : { first }
}

/**
 * The TXT record of `view` (the view of everyone on the link) for the instance `user@machine`;
 * undefined when that view is offline (nothing is announced).
 */
export const txtOfView = (view: View, instance: string): TxtRecord | undefined => {
  const status = statusOf[view.availability]
  if (!status) return undefined
  const record: Record<string, string> = { txtvers: '1', status }
  const user = instance.slice(0, instance.lastIndexOf('@')) || instance
  const names = namesOf(view.displayName ?? user)
  record['1st'] = fit('1st', names.first)
  if (names.last) record['last'] = fit('last', names.last)
  record['nick'] = fit('nick', user)
  if (view.note) record['msg'] = fit('msg', view.note.text)
  const email = view.contactMethods?.find((m) => m.kind === 'email')
  if (email) record['email'] = fit('email', email.address)
  const jid = view.contactMethods?.find((m) => m.kind === 'im' && !m.address.includes(':'))
  if (jid) record['jid'] = fit('jid', jid.address)
  return withinRecordLimit(record)
}

/** Drops the optional keys, the longest text first, until the record fits its limit. */
const withinRecordLimit = (record: Record<string, string>): TxtRecord => {
  const size = () =>
    Object.entries(record).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(`${k}=${v}`), 0)
  for (const key of ['msg', 'last', 'email', 'jid']) {
    if (size() <= maxTxtRecordBytes) break
    delete record[key]
  }
  return record
}

const publication = Compile(SourcePublicationSchema)

/** What a peer's TXT `status` means here; anything else is `available` (XEP-0174 §6.3). */
const availabilityOfStatus: Readonly<Record<string, SourcePublicationInput['availability']>> = {
  avail: 'available',
  away: 'away',
  dnd: 'do-not-disturb',
}

/** The display name a record gives: `1st` and `last`, else `nick`, else the instance's user. */
export const displayNameOfTxt = (txt: TxtRecord, instance: string): string => {
  const name = [txt['1st'], txt['last']].filter((part) => part && part.trim()).join(' ')
  const chosen = name || txt['nick'] || instance.slice(0, instance.lastIndexOf('@')) || instance
  return (
    chosen
      .replace(/\p{Cc}/gu, '')
      .trim()
      .slice(0, 100) || instance.slice(0, 100)
  )
}

/**
 * The state a peer's TXT record publishes: its status and message; undefined for a record that is
 * not a presence record (`txtvers` other than 1) or does not pass the publication schema.
 */
export const stateOfTxt = (txt: TxtRecord): SourcePublicationInput | undefined => {
  if (txt['txtvers'] !== undefined && txt['txtvers'] !== '1') return undefined
  const availability = availabilityOfStatus[txt['status'] ?? 'avail'] ?? 'available'
  const text = txt['msg']
    ?.replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, 500)
  const state = { availability, ...(text ? { note: { text } } : {}) }
  return publication.Check(state) ? (state as SourcePublicationInput) : undefined
}

// A PIDF document a phone or PBX publishes (RFC 3863, RPID RFC 4480), read with the XMPP gateway's
// hardened XML parser (no DTD, no entities, no comments or processing instructions, size, depth and
// attribute limits), as the state of one Närvaro source, checked against the same schema as a REST
// publication. Anything else is a SipParseError (400). Transport layer.
import { Element } from 'ltx'
import { Compile } from 'typebox/compile'
import type { SourcePublicationInput } from '../../app/presence/index.js'
import type { Activity } from '../../core/model/presence-model.js'
import { SourcePublicationSchema } from '../shared/presence-schemas.js'
import { XmlDocumentError, parseXmlDocument } from '../shared/xml-document.js'
import { pidfNs } from './pidf.js'
import { SipParseError } from './sip-message.js'

/** What a published document says: closed (the source ends) or open with a state. */
export type PublishedState =
  { readonly open: false } | { readonly open: true; readonly state: SourcePublicationInput }

/** The same schema as a publication over REST or WebSocket. */
const publication = Compile(SourcePublicationSchema)

const limits = { maxChars: 32 * 1024, maxDepth: 12, maxAttributes: 16 }

/** The one root element of `body`, parsed under the limits; 400 for anything else. */
const parsePidf = (body: string): Element => {
  try {
    return parseXmlDocument(body, limits)
  } catch (error) {
    if (error instanceof XmlDocumentError) throw new SipParseError(400, error.message)
    throw error
  }
}

const descendants = (element: Element): Element[] =>
  element.children.flatMap((c) => (c instanceof Element ? [c, ...descendants(c)] : []))

const textOf = (element: Element | undefined): string | undefined => {
  const text = element?.getText().trim()
  return text ? text : undefined
}

/** RPID activities (local names) as Närvaro's availability and activity. */
const fromRpid: Readonly<
  Record<string, { availability?: 'busy' | 'away'; activity?: Activity['kind'] }>
> = {
  busy: { availability: 'busy' },
  'on-the-phone': { availability: 'busy', activity: 'in-a-call' },
  meeting: { availability: 'busy', activity: 'in-a-meeting' },
  appointment: { availability: 'busy', activity: 'in-a-meeting' },
  presentation: { availability: 'busy', activity: 'presenting' },
  performance: { availability: 'busy', activity: 'presenting' },
  away: { availability: 'away' },
  'permanent-absence': { availability: 'away', activity: 'out-of-office' },
  vacation: { availability: 'away', activity: 'on-vacation' },
  holiday: { availability: 'away', activity: 'on-vacation' },
  travel: { activity: 'commuting' },
}

const activitiesOf = (person: Element | undefined) => {
  let availability: 'available' | 'busy' | 'away' | 'do-not-disturb' = 'available'
  const activities: Activity[] = []
  for (const a of person?.getChild('activities')?.children ?? []) {
    if (!(a instanceof Element)) continue
    if (a.name === 'other') {
      const text = textOf(a)
      if (text?.toLowerCase() === 'do-not-disturb') availability = 'do-not-disturb'
      else if (text) activities.push({ kind: 'custom', text: text.slice(0, 100) })
      continue
    }
    const known = fromRpid[a.name]
    if (known?.availability && availability === 'available') availability = known.availability
    if (known?.activity) activities.push({ kind: known.activity })
  }
  return { availability, activities: activities.slice(0, 10) }
}

/** The state a PIDF document publishes. */
export const publishedState = (body: string): PublishedState => {
  const root = parsePidf(body)
  if (root.name !== 'presence' || root.attrs['xmlns'] !== pidfNs)
    throw new SipParseError(400, 'not a PIDF document')
  const all = descendants(root)
  const basics = all.filter((e) => e.name === 'basic').map((e) => textOf(e))
  if (basics.length > 0 && !basics.includes('open')) return { open: false }
  const person = all.find((e) => e.name === 'person')
  const { availability, activities } = activitiesOf(person)
  const note = textOf(person?.getChild('note')) ?? textOf(all.find((e) => e.name === 'note'))
  const mood = person?.getChild('mood')?.children.find((c): c is Element => c instanceof Element)
  const place = person
    ?.getChild('place-type')
    ?.children.find((c): c is Element => c instanceof Element)
  const state = {
    availability,
    ...(activities.length > 0 ? { activities } : {}),
    ...(note ? { note: { text: note.slice(0, 500) } } : {}),
    ...(mood
      ? { mood: (mood.name === 'other' ? (textOf(mood) ?? 'other') : mood.name).slice(0, 50) }
      : {}),
    ...(place
      ? { place: (place.name === 'other' ? (textOf(place) ?? 'other') : place.name).slice(0, 100) }
      : {}),
  }
  if (!publication.Check(state)) throw new SipParseError(400, 'unusable PIDF values')
  return { open: true, state: state as SourcePublicationInput }
}

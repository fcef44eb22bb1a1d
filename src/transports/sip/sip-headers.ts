// The values of the SIP headers the gateway reads: name-addr headers (From, To, Contact) and URIs by
// JsSIP's maintained grammar (RFC 3261 §25), the simple ones (CSeq, Expires, Event) here; anything
// malformed is a SipParseError (400). Transport layer.
import grammar from 'jssip/lib/Grammar.js'
import { SipParseError, type SipHeaders } from './sip-message.js'

/** A SIP URI's parts the gateway uses. */
export interface SipUri {
  readonly user?: string
  readonly host: string
  readonly port?: number
  readonly transport?: string
}

/** A name-addr header (From, To, Contact): its URI and its `tag`. */
export interface NameAddr {
  readonly uri: SipUri
  readonly tag?: string
  readonly text: string
}

interface JssipUri {
  readonly _user?: string
  readonly _host: string
  readonly _port?: number
  readonly _scheme: string
  readonly _parameters: Record<string, string | null | undefined>
}

const uriOf = (parsed: JssipUri): SipUri => {
  if (parsed._scheme !== 'sip' && parsed._scheme !== 'sips')
    throw new SipParseError(400, 'not a SIP URI')
  const transport = parsed._parameters['transport']
  return {
    host: parsed._host.toLowerCase(),
    ...(parsed._user === undefined ? {} : { user: decodeURIComponent(parsed._user) }),
    ...(parsed._port === undefined ? {} : { port: parsed._port }),
    ...(typeof transport === 'string' ? { transport: transport.toLowerCase() } : {}),
  }
}

/** Parses a SIP URI (a Request-URI). */
export const parseUri = (text: string): SipUri => {
  const parsed = grammar.parse(text, 'SIP_URI') as JssipUri | -1
  if (parsed === -1) throw new SipParseError(400, 'malformed URI')
  return uriOf(parsed)
}

/** The Närvaro address a Request-URI names (`sip:amy@acme.example` is `amy@acme.example`), if any. */
export const addressOfUri = (text: string): string | undefined => {
  const uri = parseUri(text)
  return uri.user === undefined ? undefined : `${uri.user}@${uri.host}`.toLowerCase()
}

/** The From or To header of a request. */
export const nameAddrOf = (headers: SipHeaders, name: 'from' | 'to'): NameAddr => {
  const text = headers.get(name)
  const parsed =
    text === undefined
      ? -1
      : (grammar.parse(text, name === 'from' ? 'From' : 'To') as
          { _uri: JssipUri; _parameters: Record<string, string | undefined> } | -1)
  if (parsed === -1) throw new SipParseError(400, `malformed or missing ${name}`)
  const tag = parsed._parameters['tag']
  return { uri: uriOf(parsed._uri), text: text!, ...(tag ? { tag } : {}) }
}

/** The first Contact URI of a request, with its text to route to. */
export const contactOf = (headers: SipHeaders): { uri: SipUri; text: string } | undefined => {
  const text = headers.get('contact')
  if (text === undefined) return undefined
  const parsed = grammar.parse(text, 'Contact') as { parsed: { _uri: JssipUri } }[] | -1
  const first = parsed === -1 ? undefined : parsed[0]
  if (!first) throw new SipParseError(400, 'malformed Contact')
  const raw = /<([^>]*)>/.exec(text)?.[1] ?? text.split(';')[0]!.trim()
  return { uri: uriOf(first.parsed._uri), text: raw }
}

/** The CSeq: its number and method. */
export const cseqOf = (headers: SipHeaders): { seq: number; method: string } => {
  const match = /^(\d{1,10})\s+([A-Za-z]+)$/.exec(headers.get('cseq') ?? '')
  if (!match || Number(match[1]) > 2 ** 31 - 1) throw new SipParseError(400, 'malformed CSeq')
  return { seq: Number(match[1]), method: match[2]!.toUpperCase() }
}

/** The Expires header in seconds, or undefined when absent. */
export const expiresOf = (headers: SipHeaders): number | undefined => {
  const value = headers.get('expires')
  if (value === undefined) return undefined
  if (!/^\d{1,10}$/.test(value)) throw new SipParseError(400, 'malformed Expires')
  return Number(value)
}

/** The Event package (`presence`, `presence.winfo`, `dialog`) and its `id`. */
export const eventOf = (headers: SipHeaders): { event: string; id?: string } | undefined => {
  const value = headers.get('event')
  if (value === undefined) return undefined
  const [name = '', ...params] = value.split(';').map((p) => p.trim())
  if (!/^[A-Za-z0-9!%*_+`'~-]+(\.[A-Za-z0-9!%*_+`'~-]+)*$/.test(name))
    throw new SipParseError(400, 'malformed Event')
  const id = params.find((p) => /^id=/i.test(p))?.slice(3)
  return { event: name.toLowerCase(), ...(id ? { id } : {}) }
}

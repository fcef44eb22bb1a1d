// SIP messages (RFC 3261 §7): parsing a request or response from the bytes of one datagram or one
// framed stream message, and writing them. Hardened: limits on the size, the header count and each
// line; a breach or a malformed start line, header or length is a SipParseError with the status to
// answer (400, 413, 513), never a crash. Header values that need a grammar are parsed where they are
// used (sip-headers.ts). Transport layer.

/** Limits of one message; a breach is answered and the message dropped. */
export interface SipLimits {
  /** Bytes of a whole message (a UDP datagram is at most 65,507). */
  readonly maxMessageBytes: number
  /** Bytes of a body (PIDF documents are small). */
  readonly maxBodyBytes: number
  readonly maxHeaders: number
  /** Characters of one header line, folded lines joined. */
  readonly maxHeaderChars: number
}

export const defaultSipLimits: SipLimits = {
  maxMessageBytes: 65_507,
  maxBodyBytes: 32 * 1024,
  maxHeaders: 80,
  maxHeaderChars: 4096,
}

/** Why a message cannot be taken: the status to answer it with (when it is a request). */
export class SipParseError extends Error {
  constructor(
    readonly status: 400 | 413 | 513,
    readonly reason: string,
    /** The request as far as it was read (its start line and headers), to answer it. */
    readonly request?: SipRequest,
  ) {
    super(reason)
  }
}

/** The compact forms of header names (RFC 3261 §7.3.3, RFC 3265, RFC 3903 none). */
const compactNames: Readonly<Record<string, string>> = {
  i: 'call-id',
  f: 'from',
  t: 'to',
  v: 'via',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  o: 'event',
  u: 'allow-events',
  s: 'subject',
}

/** Headers in order, by lower-case long name; a comma-separated header is one entry per line. */
export class SipHeaders {
  constructor(readonly entries: readonly (readonly [string, string])[]) {}

  /** The first value of `name` (lower case). */
  get(name: string): string | undefined {
    return this.entries.find(([n]) => n === name)?.[1]
  }

  /** Every value of `name`, each line split at top-level commas. */
  all(name: string): string[] {
    return this.entries.filter(([n]) => n === name).flatMap(([, v]) => splitTopLevel(v))
  }
}

export interface SipRequest {
  readonly kind: 'request'
  readonly method: string
  readonly uri: string
  readonly headers: SipHeaders
  readonly body: string
}

export interface SipResponse {
  readonly kind: 'response'
  readonly status: number
  readonly reason: string
  readonly headers: SipHeaders
  readonly body: string
}

export type SipMessage = SipRequest | SipResponse

const token = /^[A-Za-z0-9.!%*_+`'~-]+$/
const requestLine = /^([A-Za-z0-9.!%*_+`'~-]+) (\S+) SIP\/2\.0$/
const statusLine = /^SIP\/2\.0 ([1-6]\d\d) ([^\r\n]*)$/

/** Splits a header value at commas outside quotes and angle brackets. */
export const splitTopLevel = (value: string): string[] => {
  const parts: string[] = []
  let quoted = false
  let angle = false
  let start = 0
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === '\\' && quoted) i++
    else if (c === '"') quoted = !quoted
    else if (!quoted && c === '<') angle = true
    else if (!quoted && c === '>') angle = false
    else if (c === ',' && !quoted && !angle) {
      parts.push(value.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(value.slice(start).trim())
  return parts.filter((p) => p.length > 0)
}

const headerLines = (head: string, limits: SipLimits): string[] => {
  const lines: string[] = []
  for (const line of head.split('\r\n')) {
    // A line that starts with white space continues the one before (folding).
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`
    else lines.push(line)
    if (lines[lines.length - 1]!.length > limits.maxHeaderChars)
      throw new SipParseError(513, 'header too long')
  }
  if (lines.length > limits.maxHeaders) throw new SipParseError(513, 'too many headers')
  return lines
}

const parseHeaders = (lines: readonly string[]): SipHeaders => {
  const entries: [string, string][] = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    const raw = colon > 0 ? line.slice(0, colon).trim() : ''
    if (!token.test(raw)) throw new SipParseError(400, 'malformed header')
    const lower = raw.toLowerCase()
    entries.push([compactNames[lower] ?? lower, line.slice(colon + 1).trim()])
  }
  return new SipHeaders(entries)
}

/** The declared body length: absent (a datagram's rest), or a valid number within the limits. */
const contentLength = (headers: SipHeaders, limits: SipLimits): number | undefined => {
  const values = headers.all('content-length')
  if (values.length === 0) return undefined
  if (values.length > 1 || !/^\d{1,9}$/.test(values[0]!))
    throw new SipParseError(400, 'bad Content-Length')
  const length = Number(values[0])
  if (length > limits.maxBodyBytes) throw new SipParseError(413, 'body too large')
  return length
}

/**
 * Where the head of a message ends in `bytes` (after its blank line), or -1 while it has not come
 * yet; leading CRLFs (keep-alives, RFC 5626) are not part of it.
 */
export const headEnd = (bytes: Buffer): number => {
  const at = bytes.indexOf('\r\n\r\n')
  return at < 0 ? -1 : at + 4
}

/**
 * Parses one message. On a datagram (`framed: false`) the body is the rest of it, cut at a
 * Content-Length shorter than that; on a stream the framer already cut it there.
 */
export const parseSipMessage = (
  bytes: Buffer,
  limits: SipLimits = defaultSipLimits,
): SipMessage => {
  const end = headEnd(bytes)
  if (end < 0)
    throw new SipParseError(bytes.length > limits.maxMessageBytes ? 513 : 400, 'no end of headers')
  const [first = '', ...rest] = headerLines(bytes.subarray(0, end - 4).toString('utf8'), limits)
  const headers = parseHeaders(rest)
  const request = requestLine.exec(first)
  const partial: SipRequest | undefined = request
    ? { kind: 'request', method: request[1]!.toUpperCase(), uri: request[2]!, headers, body: '' }
    : undefined
  try {
    const body = bodyOf(bytes, end, headers, limits)
    if (partial) return { ...partial, body }
  } catch (error) {
    if (error instanceof SipParseError) throw new SipParseError(error.status, error.reason, partial)
    throw error
  }
  const status = statusLine.exec(first)
  if (status) {
    const body = bodyOf(bytes, end, headers, limits)
    return { kind: 'response', status: Number(status[1]), reason: status[2]!, headers, body }
  }
  throw new SipParseError(400, 'malformed start line')
}

/** The body: the bytes after the head, as many as Content-Length says (a datagram's rest without). */
const bodyOf = (bytes: Buffer, end: number, headers: SipHeaders, limits: SipLimits): string => {
  if (bytes.length > limits.maxMessageBytes) throw new SipParseError(513, 'message too large')
  const declared = contentLength(headers, limits)
  const available = bytes.length - end
  if (declared !== undefined && declared > available)
    throw new SipParseError(400, 'body shorter than Content-Length')
  const bodyBytes = bytes.subarray(end, end + (declared ?? available))
  if (bodyBytes.length > limits.maxBodyBytes) throw new SipParseError(413, 'body too large')
  return bodyBytes.toString('utf8')
}

/** Writes a message: the start line, the headers in order, Content-Length, and the body. */
const write = (start: string, headers: readonly (readonly [string, string])[], body = ''): string =>
  [
    start,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n')

export const writeRequest = (request: {
  readonly method: string
  readonly uri: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body?: string
}): string => write(`${request.method} ${request.uri} SIP/2.0`, request.headers, request.body)

/**
 * A response to `request` (RFC 3261 §8.2.6): its Via, From, Call-ID and CSeq, its To with `toTag`
 * when it has none (not on 100), then `extra` headers and the body.
 */
export const writeResponse = (
  request: SipRequest,
  response: {
    readonly status: number
    readonly reason: string
    readonly toTag?: string
    readonly headers?: readonly (readonly [string, string])[]
    readonly body?: string
  },
): string => {
  const { headers } = request
  const to = headers.get('to') ?? ''
  const tagged =
    response.toTag === undefined || response.status === 100 || /;\s*tag=/i.test(to)
      ? to
      : `${to};tag=${response.toTag}`
  const copied: [string, string][] = [
    ...headers.entries.filter(([n]) => n === 'via').map(([, v]) => ['Via', v] as [string, string]),
    ['From', headers.get('from') ?? ''],
    ['To', tagged],
    ['Call-ID', headers.get('call-id') ?? ''],
    ['CSeq', headers.get('cseq') ?? ''],
  ]
  return write(
    `SIP/2.0 ${response.status} ${response.reason}`,
    [...copied, ...(response.headers ?? [])],
    response.body,
  )
}

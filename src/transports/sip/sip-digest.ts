// Digest authentication of SIP requests (RFC 3261 §22, RFC 8760): challenges in SHA-256 and MD5 with
// qop=auth, nonces the server can check without keeping them (a timestamp signed with a secret of
// this process), and the check of an Authorization header against a user's stored HA1. Transport.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DigestAlgorithm } from '../../app/accounts/index.js'
import { digestHash } from '../../app/accounts/index.js'
import { SipParseError } from './sip-message.js'

/** How long a nonce may be used; after that the client is told `stale=true` and tries again. */
export const nonceLifetimeMs = 5 * 60_000

/** The parameters of a `Digest` Authorization header (RFC 3261 §25.1 `digest-response`). */
export interface DigestResponse {
  readonly username: string
  readonly realm: string
  readonly nonce: string
  readonly uri: string
  readonly response: string
  readonly algorithm: DigestAlgorithm
  readonly qop?: string
  readonly nc?: string
  readonly cnonce?: string
}

const maxParams = 20

/** Parses `Digest k=v, k="v", ...`; anything else is a SipParseError (400). */
export const parseAuthorization = (value: string): DigestResponse => {
  const match = /^Digest\s+(.*)$/is.exec(value.trim())
  if (!match) throw new SipParseError(400, 'not a Digest Authorization')
  const params = new Map<string, string>()
  const param = /\s*([A-Za-z0-9-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,"]+)\s*(,|$)/gy
  const text = match[1]!
  let at = 0
  while (at < text.length) {
    param.lastIndex = at
    const found = param.exec(text)
    if (!found || params.size >= maxParams) throw new SipParseError(400, 'malformed Authorization')
    const raw = found[3] !== undefined ? found[3].replace(/\\(.)/g, '$1') : found[2]!
    params.set(found[1]!.toLowerCase(), raw)
    at = param.lastIndex
  }
  const get = (name: string) => params.get(name)
  const algorithm = (get('algorithm') ?? 'MD5').toUpperCase()
  if (algorithm !== 'MD5' && algorithm !== 'SHA-256')
    throw new SipParseError(400, 'unsupported digest algorithm')
  const required = ['username', 'realm', 'nonce', 'uri', 'response'].map(get)
  if (required.some((v) => v === undefined))
    throw new SipParseError(400, 'incomplete Authorization')
  const [username, realm, nonce, uri, response] = required as string[]
  return {
    ...{ username: username!, realm: realm!, nonce: nonce!, uri: uri!, response: response! },
    algorithm,
    ...(get('qop') ? { qop: get('qop')! } : {}),
    ...(get('nc') ? { nc: get('nc')! } : {}),
    ...(get('cnonce') ? { cnonce: get('cnonce')! } : {}),
  }
}

/** Nonces whose counts are remembered at most (the oldest are forgotten first). */
const maxTrackedNonces = 100_000

/**
 * Issues and checks nonces: `<ms>.<random>.<hmac>`, valid for `nonceLifetimeMs`, and remembers the
 * highest nonce count used with each, so that a captured request cannot be sent again (RFC 2617
 * §3.2.2: the count must grow; a request without one may use its nonce once).
 */
export class DigestNonces {
  private readonly secret = randomBytes(32)
  private readonly counts = new Map<string, number>()

  constructor(private readonly now: () => number) {}

  private sign(time: string, salt: string, realm: string): string {
    return createHmac('sha256', this.secret).update(`${time}:${salt}:${realm}`).digest('base64url')
  }

  issue(realm: string): string {
    const time = String(this.now())
    const salt = randomBytes(6).toString('base64url')
    return `${time}.${salt}.${this.sign(time, salt, realm)}`
  }

  /** `fresh`: ours and in time; `stale`: ours but too old; `bad`: not ours. */
  check(nonce: string, realm: string): 'fresh' | 'stale' | 'bad' {
    const [time = '', salt = '', mac = ''] = nonce.split('.')
    if (!/^\d{1,15}$/.test(time) || !safeEqual(mac, this.sign(time, salt, realm))) return 'bad'
    return this.now() - Number(time) <= nonceLifetimeMs ? 'fresh' : 'stale'
  }

  /** Records a use of `nonce` with count `nc` (hex); false when it is not above the last one. */
  use(nonce: string, nc: string | undefined): boolean {
    const count = nc === undefined ? 1 : Number.parseInt(nc, 16)
    if (!Number.isSafeInteger(count) || count < 1) return false
    const last = this.counts.get(nonce) ?? 0
    if (count <= last) return false
    this.counts.delete(nonce)
    if (this.counts.size >= maxTrackedNonces) this.counts.delete(this.counts.keys().next().value!)
    this.counts.set(nonce, count)
    return true
  }
}

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The WWW-Authenticate headers of a challenge: SHA-256 first (preferred), then MD5 (RFC 8760 §2.4). */
export const challengeHeaders = (
  algorithms: readonly DigestAlgorithm[],
  realm: string,
  nonce: string,
  stale = false,
): [string, string][] =>
  algorithms.map((algorithm) => [
    'WWW-Authenticate',
    `Digest realm="${realm}", nonce="${nonce}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
  ])

/** Whether `auth` proves the HA1 of its user for a request with `method` (RFC 8760 §3). */
export const digestMatches = (auth: DigestResponse, method: string, ha1: string): boolean => {
  const h = (text: string) => digestHash(auth.algorithm, text)
  const ha2 = h(`${method}:${auth.uri}`)
  const expected =
    auth.qop === undefined
      ? h(`${ha1}:${auth.nonce}:${ha2}`)
      : auth.qop === 'auth' && auth.nc !== undefined && auth.cnonce !== undefined
        ? h(`${ha1}:${auth.nonce}:${auth.nc}:${auth.cnonce}:auth:${ha2}`)
        : undefined
  return expected !== undefined && safeEqual(auth.response.toLowerCase(), expected)
}

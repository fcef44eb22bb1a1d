// SIP message parsing and writing, and digest authentication (RFC 3261, RFC 8760): folded and compact
// headers, bodies cut at Content-Length, limits answered with their status, stream framing, and the
// digest response of a known password in MD5 and SHA-256.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SipStreamFramer } from '../../../src/transports/sip/sip-framing.js'
import {
  DigestNonces,
  digestMatches,
  nonceLifetimeMs,
  parseAuthorization,
} from '../../../src/transports/sip/sip-digest.js'
import { eventOf, nameAddrOf } from '../../../src/transports/sip/sip-headers.js'
import {
  SipParseError,
  defaultSipLimits,
  parseSipMessage,
  writeResponse,
  type SipRequest,
} from '../../../src/transports/sip/sip-message.js'

const subscribe = (extra = '', body = '') =>
  Buffer.from(
    [
      'SUBSCRIBE sip:amy@acme.example SIP/2.0',
      'v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1',
      'f: <sip:bob@acme.example>;tag=b1',
      't: <sip:amy@acme.example>',
      'i: call-1',
      'CSeq: 1 SUBSCRIBE',
      'o: presence',
      'Subject: a folded',
      '  header',
      ...(extra ? [extra] : []),
      `l: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  )

const errorOf = (run: () => unknown): SipParseError => {
  try {
    run()
  } catch (error) {
    if (error instanceof SipParseError) return error
    throw error
  }
  throw new Error('no error')
}

describe('SIP messages', () => {
  it('reads compact and folded headers, and answers with the request’s dialog headers', () => {
    const request = parseSipMessage(subscribe()) as SipRequest
    expect(request).toMatchObject({ kind: 'request', method: 'SUBSCRIBE', body: '' })
    expect(request.headers.get('subject')).toBe('a folded header')
    expect(eventOf(request.headers)).toEqual({ event: 'presence' })
    expect(nameAddrOf(request.headers, 'from')).toMatchObject({
      uri: { user: 'bob', host: 'acme.example' },
      tag: 'b1',
    })
    const response = writeResponse(request, { status: 200, reason: 'OK', toTag: 'n1' })
    expect(response).toContain('To: <sip:amy@acme.example>;tag=n1\r\n')
    expect(response).toContain('Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n')
    expect(response.endsWith('Content-Length: 0\r\n\r\n')).toBe(true)
  })

  it('answers what it cannot take with 400, 413 or 513, keeping the request to answer', () => {
    expect(errorOf(() => parseSipMessage(Buffer.from('HELLO\r\n\r\n'))).status).toBe(400)
    const big = 'x'.repeat(defaultSipLimits.maxBodyBytes + 1)
    const tooBig = errorOf(() => parseSipMessage(subscribe('', big)))
    expect(tooBig.status).toBe(413)
    expect(tooBig.request?.method).toBe('SUBSCRIBE')
    const short = errorOf(() =>
      parseSipMessage(Buffer.from(subscribe('', 'abc').toString().replace('l: 3', 'l: 9'))),
    )
    expect(short.status).toBe(400)
    const many = Array.from({ length: 100 }, (_, i) => `X-${i}: y`).join('\r\n')
    expect(errorOf(() => parseSipMessage(subscribe(many))).status).toBe(513)
  })

  it('never throws anything but a SipParseError on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }), (raw, text) => {
        for (const bytes of [Buffer.from(raw), subscribe(text), Buffer.from(`${text}\r\n\r\n`)]) {
          try {
            parseSipMessage(bytes)
          } catch (error) {
            expect(error).toBeInstanceOf(SipParseError)
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('frames messages on a stream by Content-Length, across chunks and keep-alives', () => {
    const framer = new SipStreamFramer()
    const one = subscribe('', 'hello')
    const whole = Buffer.concat([Buffer.from('\r\n\r\n'), one, one])
    const out = [...framer.push(whole.subarray(0, 50)), ...framer.push(whole.subarray(50))]
    expect(out.map((m) => m.toString())).toEqual([one.toString(), one.toString()])
    const noLength = Buffer.from('OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\n\r\n')
    expect(errorOf(() => new SipStreamFramer().push(noLength)).status).toBe(400)
  })
})

describe('digest authentication', () => {
  const h = (algorithm: string, text: string) =>
    createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text)
      .digest('hex')

  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`proves a password in ${algorithm} with qop=auth, and not a wrong one`, () => {
      const ha1 = h(algorithm, 'bob:acme.example:secret')
      const [nonce, uri, nc, cnonce] = ['n1', 'sip:amy@acme.example', '00000001', 'c1']
      const ha2 = h(algorithm, `SUBSCRIBE:${uri}`)
      const response = h(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)
      const header = `Digest username="bob", realm="acme.example", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${algorithm}, cnonce="${cnonce}", qop=auth, nc=${nc}`
      const auth = parseAuthorization(header)
      expect(digestMatches(auth, 'SUBSCRIBE', ha1)).toBe(true)
      expect(digestMatches(auth, 'PUBLISH', ha1)).toBe(false)
      expect(digestMatches(auth, 'SUBSCRIBE', h(algorithm, 'bob:acme.example:wrong'))).toBe(false)
    })
  }

  it('refuses malformed headers and unknown algorithms with 400', () => {
    expect(errorOf(() => parseAuthorization('Basic Ym9i')).status).toBe(400)
    expect(errorOf(() => parseAuthorization('Digest username="bob"')).status).toBe(400)
    const sha512 =
      'Digest username="b", realm="r", nonce="n", uri="u", response="x", algorithm=SHA-512'
    expect(errorOf(() => parseAuthorization(sha512)).status).toBe(400)
  })

  it('takes each nonce count once and growing: a replayed request is refused', () => {
    const nonces = new DigestNonces(() => 1_000_000)
    const nonce = nonces.issue('acme.example')
    expect(nonces.issue('acme.example')).not.toBe(nonce)
    expect(nonces.use(nonce, '00000001')).toBe(true)
    expect(nonces.use(nonce, '00000001')).toBe(false)
    expect(nonces.use(nonce, '00000003')).toBe(true)
    expect(nonces.use(nonce, '00000002')).toBe(false)
    const once = nonces.issue('acme.example')
    expect(nonces.use(once, undefined)).toBe(true)
    expect(nonces.use(once, undefined)).toBe(false)
    expect(nonces.use(nonces.issue('acme.example'), 'zz')).toBe(false)
  })

  it('issues nonces it can check: fresh, then stale, and never another process’s', () => {
    let now = 1_000_000
    const nonces = new DigestNonces(() => now)
    const nonce = nonces.issue('acme.example')
    expect(nonces.check(nonce, 'acme.example')).toBe('fresh')
    expect(nonces.check(nonce, 'other.example')).toBe('bad')
    expect(new DigestNonces(() => now).check(nonce, 'acme.example')).toBe('bad')
    now += nonceLifetimeMs + 1
    expect(nonces.check(nonce, 'acme.example')).toBe('stale')
  })
})

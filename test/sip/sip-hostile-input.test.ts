// Bad input to the SIP gateway, over UDP, TCP and TLS: garbage, a body too large, an unknown method, an
// unknown event package and a wrong SIP password each get their SIP error (or, for bytes that are no
// SIP at all, nothing), and the listener goes on answering the others; a plain client on the TLS
// port loses only its own connection.
import { createSocket } from 'node:dgram'
import { connect } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUsers, api, startHarness, type Harness } from '../support/server-harness.js'

let harness: Harness
let port: number

beforeAll(async () => {
  harness = await startHarness({ env: { NARVARO_SIP_PORT: '0', NARVARO_SIP_TLS_PORT: '0' } })
  port = harness.server.sip!.port
  const { tokens } = await addUsers(harness.url, ['bob'])
  const body = { password: 'phone-secret-for-bob-42' }
  await api(harness.url, { method: 'PUT', path: '/v1/me/sip-password', token: tokens['bob'], body })
})

afterAll(() => harness?.stop())

const request = (method: string, extra: string[] = [], body = '') =>
  [
    `${method} sip:amy@acme.example SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx',
    'From: <sip:bob@acme.example>;tag=b1',
    'To: <sip:amy@acme.example>',
    `Call-ID: ${Math.random()}`,
    `CSeq: 1 ${method}`,
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n')

/** Sends datagrams and resolves with the status lines of the answers within `waitMs`. */
const overUdp = async (messages: readonly string[], waitMs = 300): Promise<string[]> =>
  (await overUdpFull(messages, waitMs)).map((m) => m.split('\r\n')[0]!)

/** Sends datagrams and resolves with the whole answers within `waitMs`. */
const overUdpFull = async (messages: readonly string[], waitMs = 300): Promise<string[]> => {
  const socket = createSocket('udp4')
  const answers: string[] = []
  socket.on('message', (m) => answers.push(m.toString()))
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  for (const message of messages) socket.send(message, port, '127.0.0.1')
  await new Promise((resolve) => setTimeout(resolve, waitMs))
  socket.close()
  return answers
}

const options = request('OPTIONS')

describe('hostile input to the SIP gateway', () => {
  it('answers each bad request with its SIP error over UDP and keeps serving', async () => {
    const answers = await overUdp([
      'garbage that is no SIP\r\n\r\n',
      request('SUBSCRIBE', ['Event: presence'], 'x'.repeat(40_000)),
      request('MESSAGE'),
      request('SUBSCRIBE', ['Event: conference']),
      request('SUBSCRIBE', ['Event: presence', 'Expires: 5']),
      request('SUBSCRIBE', ['Event: presence', 'Authorization: Digest username="bob"']),
      options,
    ])
    expect(answers.sort()).toEqual(
      [
        'SIP/2.0 413 Request Entity Too Large',
        'SIP/2.0 405 Method Not Allowed',
        'SIP/2.0 489 Bad Event',
        'SIP/2.0 423 Interval Too Brief',
        'SIP/2.0 400 Bad Request',
        'SIP/2.0 200 OK',
      ].sort(),
    )
  })

  it('challenges a wrong SIP password again, the same as an unknown user', async () => {
    const auth = (user: string) =>
      `Authorization: Digest username="${user}", realm="acme.example", nonce="1.x", uri="sip:amy@acme.example", response="00", algorithm=MD5`
    const answers = await overUdp([
      request('SUBSCRIBE', ['Event: presence', auth('bob')]),
      request('SUBSCRIBE', ['Event: presence', auth('nobody')]),
    ])
    expect(answers).toEqual(['SIP/2.0 401 Unauthorized', 'SIP/2.0 401 Unauthorized'])
  })

  it('closes a TCP stream it cannot frame, and serves the next connection', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\n\r\n'),
      )
      socket.on('close', () => resolve(true))
      socket.on('error', () => undefined)
    })
    expect(closed).toBe(true)
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(options))
      socket.once('data', (d) => {
        resolve(d.toString().split('\r\n')[0]!)
        socket.destroy()
      })
    })
    expect(answer).toBe('SIP/2.0 200 OK')
  })

  it('drops a plain client on the TLS port and a TLS stream it cannot frame, and answers over TLS', async () => {
    const tlsPort = harness.server.sip!.tlsPort!
    const plainClosed = await new Promise<boolean>((resolve) => {
      const socket = connect(tlsPort, '127.0.0.1', () => socket.write(options))
      socket.on('close', () => resolve(true))
      socket.on('error', () => undefined)
    })
    expect(plainClosed).toBe(true)
    // The generated certificate is self-signed: this client checks nothing but the protocol.
    const overTls = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = connectTls({ port: tlsPort, host: '127.0.0.1', rejectUnauthorized: false })
        socket.on('secureConnect', () => socket.write(text))
        socket.once('data', (d) => {
          resolve(d.toString().split('\r\n')[0]!)
          socket.destroy()
        })
        socket.on('close', () => resolve('closed'))
        socket.on('error', () => undefined)
      })
    expect(await overTls('OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\n\r\n')).toBe('closed')
    expect(await overTls(options)).toBe('SIP/2.0 200 OK')
  })

  it('backs off a guesser: after five wrong SIP passwords for one user, 503 with Retry-After', async () => {
    const first = await overUdpFull([request('SUBSCRIBE', ['Event: presence'])])
    const nonce = /nonce="([^"]+)"/.exec(first[0]!)![1]!
    const wrong = (n: number) =>
      request('SUBSCRIBE', [
        'Event: presence',
        `Authorization: Digest username="bob", realm="acme.example", nonce="${nonce}", uri="sip:amy@acme.example", response="${'0'.repeat(31)}${n}", algorithm=MD5`,
      ])
    const answers: string[] = []
    for (let n = 0; n < 7; n++) answers.push(...(await overUdp([wrong(n)], 100)))
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('SIP/2.0 401 Unauthorized'))
    expect(answers.slice(5)).toEqual(Array(2).fill('SIP/2.0 503 Service Unavailable'))
  })
})

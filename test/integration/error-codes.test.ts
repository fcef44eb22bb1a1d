// Integration: errors of the HTTP layer itself (bad percent-encoding, an over-long path parameter,
// oversized headers, an unsupported content type) answer with NRV codes over the real server; no
// store internals and no raw control or bidi characters reach a client.
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { useSharedServer } from '../support/harness-fixture.js'
import { api } from '../support/server-harness.js'

/** One server for the file: each test reads, or makes what no other test looks at. */
const server = useSharedServer()

/** One raw HTTP exchange (for requests fetch would refuse to send): status line and JSON body. */
const raw = (
  url: string,
  request: string,
): Promise<{ status: number; body: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    let text = ''
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n')
      resolve({
        status: Number(head.split(' ')[1]),
        body: JSON.parse(body) as Record<string, unknown>,
      })
    })
    socket.end(request)
  })

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u

describe('framework errors', () => {
  it('bad percent-encoding in a URL is NRV_BAD_REQUEST, without quoting the URL', async () => {
    const { url } = server.harness
    const { admin } = server
    for (const path of ['/v1/users/%zz', '/v1/presence/%E0%A4%A']) {
      const reply = await api(url, { path, token: admin })
      expect(reply.status, path).toBe(400)
      expect(reply.body).toEqual({
        code: 'NRV_BAD_REQUEST',
        message: 'the URL is not valid (bad percent-encoding)',
      })
    }
  })

  it('a path parameter over the limit is NRV_URI_TOO_LONG (414); a long address is not', async () => {
    const { url } = server.harness
    const { admin } = server
    const long = await api(url, { path: `/v1/presence/${'a'.repeat(400)}`, token: admin })
    expect(long.status).toBe(414)
    expect(long.body).toEqual({
      code: 'NRV_URI_TOO_LONG',
      message: 'a path parameter is over the length limit',
    })
    // 64 + @ + a domain of 200: longer than Fastify's default limit of 100, within an address's.
    const address = `${'b'.repeat(64)}@${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.example`
    const fine = await api(url, { path: `/v1/presence/${address}`, token: admin })
    expect(fine.status).toBe(404)
    expect(fine.body['code']).toBe('NRV_NOT_FOUND')
  })

  it('oversized headers are NRV_HEADERS_TOO_LARGE (431)', async () => {
    const { url } = server.harness
    const reply = await raw(
      url,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    )
    expect(reply).toEqual({
      status: 431,
      body: { code: 'NRV_HEADERS_TOO_LARGE', message: 'request headers over the size limit' },
    })
  })

  it('a request the HTTP parser cannot read is NRV_BAD_REQUEST', async () => {
    const { url } = server.harness
    const reply = await raw(url, 'GARBAGE\r\n\r\n')
    expect(reply.status).toBe(400)
    expect(reply.body['code']).toBe('NRV_BAD_REQUEST')
  })

  it('a body of an unsupported content type is NRV_UNSUPPORTED_MEDIA_TYPE (415)', async () => {
    const { url } = server.harness
    const reply = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<login/>',
    })
    expect(reply.status).toBe(415)
    expect(await reply.json()).toEqual({
      code: 'NRV_UNSUPPORTED_MEDIA_TYPE',
      message: 'unsupported content type: send application/json',
    })
  })
})

describe('error messages', () => {
  it('a store conflict says what happened, not which store operation failed', async () => {
    const { url } = server.harness
    const { admin } = server
    expect(
      (await api(url, { path: '/v1/groups', token: admin, body: { name: 'ops' } })).status,
    ).toBe(201)
    const again = await api(url, { path: '/v1/groups', token: admin, body: { name: 'ops' } })
    expect(again.status).toBe(409)
    expect(again.body).toEqual({ code: 'NRV_CONFLICT', message: 'already exists' })
  })

  it('input echoed in a message has its control and bidi characters escaped', async () => {
    const { url } = server.harness
    const { admin } = server
    const reply = await api<{ code: string; message: string }>(url, {
      path: '/v1/presence/%E2%80%AEab%07c%E2%81%A6',
      token: admin,
    })
    expect(reply.status).toBe(400)
    expect(reply.body.code).toBe('NRV_ADDRESS_INVALID')
    expect(reply.body.message).not.toMatch(unsafe)
    expect(reply.body.message).toContain('\\u{202e}ab')
    expect(reply.body.message).toContain('\\u{2066}')
  })
})

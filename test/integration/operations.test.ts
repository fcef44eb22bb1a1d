// Integration: operations over the real server: /metrics behind NARVARO_METRICS_TOKEN, debug logs
// of requests and failed authentication (never a token), and an over-limit WebSocket frame closed
// with 1009 and logged as the client's error (a warning, no stack).
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { captureLog, levels } from '../support/log-capture.js'
import { addUsersFast } from '../support/direct-users.js'
import { TestSocket, eventually } from '../support/server-harness.js'

const server = useServer()
const metricsToken = 'metrics-0123456789-abcdef'

const metrics = (url: string, authorization?: string) =>
  fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} })

describe('/metrics', () => {
  it('with NARVARO_METRICS_TOKEN, answers 401 without the token and 200 with it', async () => {
    const { url } = await server.start({ env: { NARVARO_METRICS_TOKEN: metricsToken } })
    const without = await metrics(url)
    expect(without.status).toBe(401)
    expect(((await without.json()) as { code: string }).code).toBe('NRV_UNAUTHENTICATED')
    expect((await metrics(url, 'Bearer wrong-token-of-some-length')).status).toBe(401)
    expect((await metrics(url, `Bearer ${metricsToken}x`)).status).toBe(401)
    const withToken = await metrics(url, `Bearer ${metricsToken}`)
    expect(withToken.status).toBe(200)
    expect(await withToken.text()).toContain('# HELP')
  })

  it('without the setting, is open as before', async () => {
    const { url } = await server.start()
    expect((await metrics(url)).status).toBe(200)
  })
})

describe('debug logs', () => {
  it('log each request and each failed authentication, without tokens', async () => {
    const { logger, lines } = captureLog('debug')
    const { url } = await server.start({ logger })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy'])
    const amy = tokens['amy']!
    await fetch(`${url}/v1/me?access_token=${amy}&x=1`)
    await fetch(`${url}/v1/me`, { headers: { authorization: 'Bearer nrv_not-a-real-token' } })
    await eventually(() => lines.some((l) => l.msg === 'authentication failed'))
    const requests = lines.filter((l) => l.msg === 'request')
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: 'GET',
        url: '/v1/me?access_token=[redacted]&x=1',
        status: 200,
      }),
    )
    expect(requests.every((l) => typeof l['ms'] === 'number')).toBe(true)
    const failure = lines.find((l) => l.msg === 'authentication failed')!
    expect(failure).toMatchObject({ level: levels.debug, ip: '127.0.0.1' })
    expect(typeof failure['reason']).toBe('string')
    const all = JSON.stringify(lines)
    expect(all).not.toContain(amy)
    expect(all).not.toContain('nrv_not-a-real-token')
  })
})

describe('WebSocket frames', () => {
  it('a frame over the limit closes with 1009 and logs a warning without a stack', async () => {
    const { logger, lines } = captureLog('info')
    const { url } = await server.start({ env: { NARVARO_MAX_MESSAGE_BYTES: '1024' }, logger })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy'])
    const socket = await TestSocket.open(url, tokens['amy'])
    socket.send(JSON.stringify({ type: 'publish', source: 'x'.repeat(4096) }))
    expect(await socket.closed).toBe(1009)
    await eventually(() => lines.some((l) => l.level >= levels.warn))
    const reported = lines.filter((l) => l.level >= levels.warn)
    expect(reported.map((l) => l.level)).toEqual([levels.warn])
    expect(JSON.stringify(reported)).not.toContain('stack')
    expect(reported[0]).toMatchObject({ code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', limit: 1024 })
  })
})

// Integration: where the server connects on its own. With NARVARO_OUTBOUND_HOSTS set, a calendar URL
// or webhook on a host it does not list is refused with a clear error and nothing is stored; and a
// fetched page that is not a calendar is never quoted back (a calendar URL cannot be used to read
// another server's pages through error messages).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import { addUsersFast } from '../support/direct-users.js'
import { api, domain, startHarness } from '../support/server-harness.js'

const secretLine = 'internal-admin-token=s3cr3t-value-4711'
const page = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' }).end(`${secretLine}\nmore: lines\n`)
})
let port = 0
beforeAll(async () => {
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve))
  port = (page.address() as AddressInfo).port
})
afterAll(async () => {
  page.closeAllConnections()
  await new Promise((resolve) => page.close(resolve))
})

const server = useServer()

type Failure = { code: string; message: string; details?: Record<string, unknown> }

describe('outbound hosts', () => {
  it('a calendar URL or webhook on a host the administrator does not list is refused', async () => {
    const { url } = await server.start({
      env: { NARVARO_OUTBOUND_HOSTS: 'cal.example.com, 10.0.0.0/8' },
    })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = tokens['amy']!
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '169.254.169.254']) {
      const subscribed = await api<Failure>(url, {
        path: '/v1/me/calendars',
        token: amy,
        body: { name: `at ${host}`, url: `http://${host}:${port}/team.ics` },
      })
      expect(subscribed.status, host).toBe(400)
      expect(subscribed.body.code).toBe('NRV_VALIDATION')
      expect(subscribed.body.message).toContain('NARVARO_OUTBOUND_HOSTS')
      const hooked = await api<Failure>(url, {
        path: '/v1/webhooks',
        token: amy,
        body: {
          url: `http://${host}:${port}/hook`,
          addresses: [`bo@${domain}`],
          events: ['presence'],
        },
      })
      expect(hooked.status, host).toBe(400)
      expect(hooked.body.message).toContain('NARVARO_OUTBOUND_HOSTS')
    }
    const feeds = await api<unknown[]>(url, { path: '/v1/me/calendars', token: amy })
    expect(feeds.body).toEqual([])
    const hooks = await api<unknown[]>(url, { path: '/v1/webhooks', token: amy })
    expect(hooks.body).toEqual([])
  })

  // Two server starts and ten refused requests: more than the default time on a loaded machine.
  it('by default, internal addresses are refused; listed, they are allowed', async () => {
    // undefined: the server's own default, not the loopback the other tests' receivers need.
    const { url } = await server.start({ env: { NARVARO_OUTBOUND_HOSTS: undefined } })
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = tokens['amy']!
    for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '169.254.169.254', '[::1]']) {
      const subscribed = await api<Failure>(url, {
        path: '/v1/me/calendars',
        token: amy,
        body: { name: `at ${host}`, url: `http://${host}:${port}/team.ics` },
      })
      expect(subscribed.status, host).toBe(400)
      expect(subscribed.body.message).toContain('NARVARO_OUTBOUND_HOSTS')
      const hooked = await api<Failure>(url, {
        path: '/v1/webhooks',
        token: amy,
        body: {
          url: `http://${host}:${port}/hook`,
          addresses: [`bo@${domain}`],
          events: ['presence'],
        },
      })
      expect(hooked.status, host).toBe(400)
      expect(hooked.body.message).toContain('NARVARO_OUTBOUND_HOSTS')
    }
    await server.harness.stop()
    const listed = await server.start({ env: { NARVARO_OUTBOUND_HOSTS: 'public, 127.0.0.1' } })
    const { tokens: again } = await addUsersFast(listed.server.services, ['amy', 'bo'])
    const hooked = await api(listed.url, {
      path: '/v1/webhooks',
      token: again['amy'],
      body: {
        url: `http://127.0.0.1:${port}/hook`,
        addresses: [`bo@${domain}`],
        events: ['presence'],
      },
    })
    expect(hooked.status).toBe(201)
  }, 60_000)

  it('a bad setting stops the server with a message naming it', async () => {
    await expect(startHarness({ env: { NARVARO_OUTBOUND_HOSTS: '10.0.0.0/40' } })).rejects.toThrow(
      /NARVARO_OUTBOUND_HOSTS/,
    )
  })

  it('a fetched page that is not a calendar is refused without quoting it', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy'])
    const subscribed = await api<Failure>(url, {
      path: '/v1/me/calendars',
      token: tokens['amy'],
      body: { name: 'internal', url: `http://127.0.0.1:${port}/admin` },
    })
    expect(subscribed.status).toBe(400)
    expect(subscribed.body.code).toBe('NRV_VALIDATION')
    expect(subscribed.body.message).toBe('not a valid iCalendar file')
    expect(JSON.stringify(subscribed.body)).not.toContain('s3cr3t')
    // An uploaded file is the person's own: its error says where it went wrong.
    const uploaded = await api<Failure>(url, {
      path: '/v1/me/calendars',
      token: tokens['amy'],
      body: { name: 'mine', ics: `${secretLine}\n` },
    })
    expect(uploaded.status).toBe(400)
    expect(uploaded.body.message).toContain('s3cr3t')
  })
})

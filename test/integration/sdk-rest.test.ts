// Integration: the SDK's typed REST client against the real server: typed calls, the server's error
// codes as NarvaroApiError, and a distinct error when the server cannot be reached.
import { describe, expect, it } from 'vitest'
import {
  NarvaroApiError,
  NarvaroClient,
  NarvaroNetworkError,
} from '../../packages/sdk/src/index.js'
import { freePort } from '../support/child-server.js'
import { useServer } from '../support/harness-fixture.js'
import { addUsersFast } from '../support/direct-users.js'
import { addUsers, domain, passwordOf } from '../support/server-harness.js'

describe('the SDK REST client', () => {
  const server = useServer()

  it('signs in and makes typed calls with the token it got', async () => {
    const { url } = await server.start()
    await addUsers(url, ['amy', 'bo'])
    const amy = new NarvaroClient({ baseUrl: url })
    const login = await amy.login(`amy@${domain}`, passwordOf('amy'))
    expect(login.token).toMatch(/^nrv_/)
    expect((await amy.me()).address).toBe(`amy@${domain}`)
    await amy.setNote({ text: 'in Lund today' })
    const bo = new NarvaroClient({ baseUrl: url + '/' })
    await bo.login(`bo@${domain}`, passwordOf('bo'))
    await bo.subscribe({ address: `amy@${domain}` })
    const seen = await bo.presenceOf(`amy@${domain}`)
    expect(seen.view.availability).toBe('offline')
    expect((await bo.subscriptions()).map((s) => s.presentityAddress)).toEqual([`amy@${domain}`])
    const { data } = await bo.api.GET('/v1/me/watchers')
    expect(data).toEqual([])
  })

  it('turns an error reply into NarvaroApiError with the server code', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy'])
    const amy = new NarvaroClient({ baseUrl: url, token: tokens['amy']! })
    const missing = await amy.presenceOf(`nobody@${domain}`).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(NarvaroApiError)
    expect(missing).toMatchObject({ code: 'NRV_NOT_FOUND', status: 404 })
    const anonymous = new NarvaroClient({ baseUrl: url })
    await expect(anonymous.me()).rejects.toMatchObject({ code: 'NRV_UNAUTHENTICATED', status: 401 })
    await expect(amy.api.POST('/v1/users', { body: { address: 'x' } })).rejects.toBeInstanceOf(
      NarvaroApiError,
    )
  })

  it('imports users from CSV with a dry run first, and lists the teams it made', async () => {
    const { url } = await server.start()
    const { admin } = await addUsersFast(server.harness.server.services, [])
    const client = new NarvaroClient({ baseUrl: url, token: admin })
    const csv = 'address,displayName,teams\nzed,Zed,Support\nyan,Yan,Support\n'
    const report = await client.importCsv(csv, { dryRun: true })
    expect(report).toMatchObject({ dryRun: true, rows: 2, valid: 2, written: false, problems: [] })
    expect(await client.importCsv(csv)).toMatchObject({ dryRun: false, created: 2 })
    const teams = await client.teams()
    expect(teams.map((t) => t.name)).toContain('Support')
    const users = await client.users()
    expect(users.map((u) => u.address)).toEqual(
      expect.arrayContaining([`zed@${domain}`, `yan@${domain}`]),
    )
  })

  it('reports an unreachable server as NarvaroNetworkError', async () => {
    const client = new NarvaroClient({ baseUrl: `http://127.0.0.1:${await freePort()}` })
    await expect(client.me()).rejects.toBeInstanceOf(NarvaroNetworkError)
  })
})

// A cluster through outages of its dependencies: Redis killed and restarted during traffic (nothing
// durable is lost, presence is right again after the nodes resynchronize, a node started afterwards
// learns every node's sources), and PostgreSQL unreachable (writes answer NRV_STORE_UNAVAILABLE,
// /readyz names the store, presence keeps flowing, and everything recovers by itself).
import { describe, expect, it } from 'vitest'
import { useCluster } from '../support/cluster.js'
import { TestSocket, addUsers, api, domain, eventually } from '../support/server-harness.js'
import { startProxy } from '../support/tcp-proxy.js'

const startCluster = useCluster()
const at = (name: string) => `${name}@${domain}`
const availabilityOf = (m: Record<string, unknown>) =>
  (m['view'] as { availability?: string } | undefined)?.availability

describe('a cluster through outages', { timeout: 120_000 }, () => {
  it('survives a Redis restart during traffic and resynchronizes', async () => {
    const { nodes, redis, add } = await startCluster(2, { leaseSeconds: 2 })
    const [one, two] = nodes.map((n) => n.url) as [string, string]
    const { tokens } = await addUsers(one, ['amy', 'bo'])
    await api(one, { path: '/v1/subscriptions', token: tokens['bo'], body: { address: at('amy') } })
    const note = { text: 'before the restart' }
    await api(one, {
      method: 'PUT',
      path: '/v1/me/presence/note',
      token: tokens['amy'],
      body: note,
    })
    const amy = await TestSocket.open(one, tokens['amy']!)
    await amy.request({ type: 'publish', source: 'laptop', availability: 'available' })
    const bo = await TestSocket.open(two, tokens['bo']!)
    await bo.request({ type: 'subscribe', addresses: [at('amy')] })
    await bo.next((m) => m.type === 'snapshot' && availabilityOf(m) === 'available')

    // Traffic goes on while Redis dies and comes back empty (two publications a second: the rate
    // limit of one source).
    let publishing = true
    const traffic = (async () => {
      for (let i = 0; publishing; i++) {
        const availability = i % 2 === 0 ? 'away' : 'available'
        await amy.request({ type: 'publish', source: 'laptop', availability })
        await new Promise((resolve) => setTimeout(resolve, 600))
      }
    })()
    await redis.kill()
    const down = await api<{ code: string }>(two, { path: '/readyz' })
    expect(down.status).toBe(503)
    expect(down.body).toMatchObject({ details: { dependencies: { changeChannel: 'unavailable' } } })
    await redis.restart()
    await eventually(async () => (await api(two, { path: '/readyz' })).status === 200, 15_000)
    publishing = false
    await traffic
    const ack = await amy.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    expect(ack.type).toBe('ack')
    await bo.next((m) => m.type === 'change' && availabilityOf(m) === 'busy', 15_000)

    // Durable data is all there; a node started now learns Amy's live source from her node.
    const three = (await add()).url
    const watched = await api<{ presentityAddress: string }[]>(three, {
      path: '/v1/subscriptions',
      token: tokens['bo'],
    })
    expect(watched.body.map((s) => s.presentityAddress)).toEqual([at('amy')])
    const late = await TestSocket.open(three, tokens['bo']!)
    await late.request({ type: 'subscribe', addresses: [at('amy')] })
    const snapshot = await late.next((m) => m.type === 'snapshot')
    expect(snapshot['view']).toMatchObject({ availability: 'busy', note })
    // Amy's presence never went offline for Bo: her node was not taken for dead.
    expect(bo.messages.filter((m) => availabilityOf(m) === 'offline')).toEqual([])
    await Promise.all([amy.close(), bo.close(), late.close()])
  })

  it('answers NRV_STORE_UNAVAILABLE while PostgreSQL is unreachable, keeps presence flowing, and recovers', async () => {
    const proxy = await startProxy('http://127.0.0.1:5432')
    try {
      const { nodes } = await startCluster(2, { viaPort: Number(new URL(proxy.url).port) })
      const [one, two] = nodes.map((n) => n.url) as [string, string]
      const { tokens } = await addUsers(one, ['amy', 'bo'])
      const body = { address: at('amy') }
      await api(one, { path: '/v1/subscriptions', token: tokens['bo'], body })
      const amy = await TestSocket.open(one, tokens['amy']!)
      await amy.request({ type: 'publish', source: 'laptop', availability: 'available' })
      const bo = await TestSocket.open(two, tokens['bo']!)
      await bo.request({ type: 'subscribe', addresses: [at('amy')] })
      await bo.next((m) => m.type === 'snapshot')

      proxy.refuse(true)
      proxy.dropAll()
      const note = { text: 'while the database is away' }
      const put = { method: 'PUT', path: '/v1/me/presence/note', token: tokens['amy'], body: note }
      const refused = await api<{ code: string }>(one, put)
      expect(refused.status).toBe(503)
      expect(refused.body.code).toBe('NRV_STORE_UNAVAILABLE')
      const ready = await api(two, { path: '/readyz' })
      expect(ready.status).toBe(503)
      expect(ready.body).toMatchObject({
        details: { dependencies: { store: 'unavailable', changeChannel: 'ok' } },
      })
      // Live presence does not need the database.
      await amy.request({ type: 'publish', source: 'laptop', availability: 'busy' })
      const busy = await bo.next((m) => m.type === 'change')
      expect(busy['view']).toMatchObject({ availability: 'busy' })

      proxy.refuse(false)
      await eventually(async () => (await api(two, { path: '/readyz' })).status === 200, 15_000)
      expect((await api(one, put)).status).toBe(200)
      const noted = await bo.next((m) => m.type === 'change')
      expect(noted['view']).toMatchObject({ note })
      await Promise.all([amy.close(), bo.close()])
    } finally {
      await proxy.close()
    }
  })
})

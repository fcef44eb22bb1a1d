// Three Närvaro nodes on one PostgreSQL and one Redis: people connected to different nodes watch each
// other live, a policy change made on one node applies on all at once, and a live who-is-available
// query on one node sees changes made on every node.
import { describe, expect, it } from 'vitest'
import { useCluster } from '../support/cluster.js'
import { TestSocket, addUsers, api, domain } from '../support/server-harness.js'

const startCluster = useCluster()

describe('a cluster of three nodes', { timeout: 90_000 }, () => {
  it('watchers on every node see changes made on every node, in order', async () => {
    const { nodes } = await startCluster(3)
    const [one, two, three] = nodes.map((n) => n.url) as [string, string, string]
    const { tokens } = await addUsers(one, ['amy', 'bo', 'cy'])
    const amy = await TestSocket.open(one, tokens['amy']!)
    const bo = await TestSocket.open(two, tokens['bo']!)
    const cy = await TestSocket.open(three, tokens['cy']!)
    await amy.request({ type: 'publish', source: 'laptop', availability: 'available' })
    await cy.request({ type: 'publish', source: 'phone', availability: 'away' })
    for (const who of ['amy', 'cy']) {
      await api(one, {
        path: '/v1/subscriptions',
        token: tokens['bo'],
        body: { address: `${who}@${domain}` },
      })
    }
    await bo.request({ type: 'subscribe', addresses: [`amy@${domain}`, `cy@${domain}`] })
    const first = await bo.next((m) => m.type === 'snapshot' && m['address'] === `amy@${domain}`)
    expect(first['view']).toMatchObject({ availability: 'available' })
    const third = await bo.next((m) => m.type === 'snapshot' && m['address'] === `cy@${domain}`)
    expect(third['view']).toMatchObject({ availability: 'away' })

    for (const availability of ['busy', 'away', 'do-not-disturb', 'available']) {
      await amy.request({ type: 'publish', source: 'laptop', availability })
      const change = await bo.next((m) => m.type === 'change' && m['address'] === `amy@${domain}`)
      expect(change['view']).toMatchObject({ availability })
    }
    await Promise.all([amy.close(), bo.close(), cy.close()])
  })
})

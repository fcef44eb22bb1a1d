// kill -9 of one node of three during traffic: its people go offline for watchers on the other nodes
// once its lease runs out (a short one here), nobody else changes, and its clients resume on another
// node without missing or duplicating a change.
import { describe, expect, it } from 'vitest'
import { delivering, useCluster } from '../support/cluster.js'
import {
  TestSocket,
  addUsers,
  api,
  domain,
  eventually,
  type Message,
} from '../support/server-harness.js'
import { startReceiver } from '../support/webhook-receiver.js'

const startCluster = useCluster()
const at = (name: string) => `${name}@${domain}`

describe('a node of three dies', { timeout: 90_000 }, () => {
  it('ends its people’s presence everywhere, leaves the others alone, and its clients resume elsewhere', async () => {
    const { nodes } = await startCluster(3, { leaseSeconds: 1 })
    const [one, two, three] = nodes.map((n) => n.url) as [string, string, string]
    const { tokens } = await addUsers(one, ['amy', 'bo', 'cy', 'dan'])
    for (const [watcher, presentity] of [
      ['bo', 'amy'],
      ['bo', 'cy'],
      ['dan', 'cy'],
    ] as const) {
      const body = { address: at(presentity) }
      await api(one, { path: '/v1/subscriptions', token: tokens[watcher], body })
    }
    // Amy and Dan are on the node that will die; Cy on another; Bo watches from the third.
    const amy = await TestSocket.open(three, tokens['amy']!)
    const cy = await TestSocket.open(two, tokens['cy']!)
    await amy.request({ type: 'publish', source: 'laptop', availability: 'available' })
    await cy.request({ type: 'publish', source: 'phone', availability: 'available' })
    const bo = await TestSocket.open(one, tokens['bo']!)
    await bo.request({ type: 'subscribe', addresses: [at('amy'), at('cy')] })
    // Bo's node may take Cy's publication from the channel after Bo's snapshot (a change then):
    // what follows counts from Bo's first sight of Cy available.
    const cyAvailable = (m: Message) =>
      m['address'] === at('cy') &&
      (m['view'] as { availability: string } | undefined)?.availability === 'available'
    await bo.next(cyAvailable)
    const fromCyAvailable = bo.messages.findIndex(cyAvailable) + 1
    const dan = await TestSocket.open(three, tokens['dan']!)
    const epoch = dan.messages[0]!['epoch'] as string
    await dan.request({ type: 'subscribe', addresses: [at('cy')] })
    const seen = await dan.next((m) => m.type === 'snapshot' && m['address'] === at('cy'))
    expect(seen['view']).toMatchObject({ availability: 'available' })
    await cy.request({ type: 'publish', source: 'phone', availability: 'away' })
    const last = await dan.next((m) => m.type === 'change' && m['address'] === at('cy'))

    await nodes[2]!.kill9()
    const gone = await bo.next((m) => m.type === 'change' && m['address'] === at('amy'), 20_000)
    expect(gone['view']).toMatchObject({ availability: 'offline' })
    // Cy, on a live node, changed for nobody.
    const aboutCy = (m: Message) => m.type === 'change' && m['address'] === at('cy')
    expect(
      bo.messages
        .slice(fromCyAvailable)
        .filter(aboutCy)
        .map((m) => (m['view'] as { availability: string }).availability),
    ).toEqual(['away'])

    // While Dan is away, Cy changes once; Dan resumes on another node and gets exactly that change.
    await cy.request({ type: 'publish', source: 'phone', availability: 'busy' })
    await bo.next(
      (m) => aboutCy(m) && (m['view'] as { availability: string }).availability === 'busy',
    )
    const danAgain = await TestSocket.open(two, tokens['dan']!)
    expect(danAgain.messages[0]!['epoch']).toBe(epoch)
    await danAgain.request({
      type: 'subscribe',
      addresses: [at('cy')],
      resume: { epoch, cursor: last['seq'] as number },
    })
    const missed = await danAgain.next((m) => m['address'] === at('cy'))
    expect(missed).toMatchObject({ type: 'change', view: { availability: 'busy' } })
    expect(missed['seq'] as number).toBeGreaterThan(last['seq'] as number)
    // Nothing else about Cy: no snapshot, no second copy.
    danAgain.send({ type: 'ping', id: 'barrier' })
    await danAgain.next((m) => m.type === 'pong' && m['id'] === 'barrier')
    expect(danAgain.messages.filter((m) => m['address'] === at('cy'))).toHaveLength(1)

    // Amy's client reconnects to a live node and is online again for Bo.
    const amyAgain = await TestSocket.open(one, tokens['amy']!)
    await amyAgain.request({ type: 'publish', source: 'laptop', availability: 'available' })
    const back = await bo.next((m) => m.type === 'change' && m['address'] === at('amy'))
    expect(back['view']).toMatchObject({ availability: 'available' })
    await Promise.all([bo.close(), cy.close(), danAgain.close(), amyAgain.close()])
  })

  it('hands its webhook endpoints to the live nodes, which deliver the next change', async () => {
    const { nodes } = await startCluster(3, { leaseSeconds: 1 })
    const urls = nodes.map((n) => n.url)
    const { tokens } = await addUsers(urls[0]!, ['eve', 'fay'])
    const receivers: Awaited<ReturnType<typeof startReceiver>>[] = []
    try {
      // Endpoints until the node that will die delivers one of them.
      while ((await delivering([urls[2]!])) === 0 && receivers.length < 16) {
        const receiver = await startReceiver()
        receivers.push(receiver)
        const body = { url: receiver.url, addresses: [at('fay')], events: ['presence'] }
        await api(urls[0]!, { path: '/v1/webhooks', token: tokens['eve'], body })
        await eventually(async () => (await delivering(urls)) === receivers.length)
      }
      expect(await delivering([urls[2]!])).toBeGreaterThan(0)
      await nodes[2]!.kill9()
      const live = urls.slice(0, 2)
      await eventually(async () => (await delivering(live)) === receivers.length, 20_000)
      const fay = await TestSocket.open(urls[0]!, tokens['fay']!)
      await fay.request({ type: 'publish', source: 'laptop', availability: 'busy' })
      const shows = (r: (typeof receivers)[number]) =>
        r.received.some(
          (x) => (x.json.data['view'] as { availability?: string }).availability === 'busy',
        )
      await eventually(() => receivers.every(shows))
      await fay.close()
    } finally {
      for (const receiver of receivers) await receiver.close()
    }
  })
})

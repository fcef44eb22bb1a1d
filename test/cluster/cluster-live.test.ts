// Three Närvaro nodes on one PostgreSQL and one Redis: people connected to different nodes watch each
// other live, a policy change made on one node applies on all at once, and a live who-is-available
// query on one node sees changes made on every node.
import { describe, expect, it } from 'vitest'
import { delivering, useCluster } from '../support/cluster.js'
import { TestSocket, addUsers, api, domain, eventually } from '../support/server-harness.js'
import { startReceiver } from '../support/webhook-receiver.js'

const startCluster = useCluster()
/** One cluster for the file's tests (each test has its own people). */
let shared: ReturnType<typeof startCluster> | undefined
const cluster = () => (shared ??= startCluster(3))
const at = (name: string) => `${name}@${domain}`

/** The presence deliveries of `receiver` that show `availability`. */
const viewsOf = (receiver: Awaited<ReturnType<typeof startReceiver>>, availability: string) =>
  receiver.received.filter(
    (x) =>
      x.json.type === 'presence.changed' &&
      (x.json.data['view'] as { availability?: string }).availability === availability,
  )

describe('a cluster of three nodes', { timeout: 90_000 }, () => {
  it('watchers on every node see changes made on every node, in order', async () => {
    const { nodes } = await cluster()
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

  it('applies a policy change made on one node at once on the others, and feeds live who queries from every node', async () => {
    const { nodes } = await cluster()
    const [one, two, three] = nodes.map((n) => n.url) as [string, string, string]
    const { tokens } = await addUsers(one, ['ann', 'bea', 'cem', 'max'])
    const ann = await TestSocket.open(one, tokens['ann']!)
    const bea = await TestSocket.open(two, tokens['bea']!)
    await ann.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    await bea.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    // Max asks on the third node who of them is available, live.
    const max = await TestSocket.open(three, tokens['max']!)
    const addresses = [at('ann'), at('bea'), at('cem')]
    const ack = await max.request({ type: 'who', addresses, availability: ['available'] })
    expect(ack['entries']).toEqual([])
    const whoChange = (address: string) => (m: Record<string, unknown>) =>
      m['type'] === 'who-change' && m['address'] === address
    await ann.request({ type: 'publish', source: 'laptop', availability: 'available' })
    expect(await max.next(whoChange(at('ann')))).toMatchObject({ op: 'joined' })
    await bea.request({ type: 'publish', source: 'laptop', availability: 'available' })
    expect(await max.next(whoChange(at('bea')))).toMatchObject({ op: 'joined' })

    // Max also watches Bea; Bea, on the second node, stops letting him see her (a rule made there).
    await api(three, {
      path: '/v1/subscriptions',
      token: tokens['max'],
      body: { address: at('bea') },
    })
    await max.request({ type: 'subscribe', addresses: [at('bea')] })
    await max.next((m) => m.type === 'snapshot' && m['address'] === at('bea'))
    const rule = {
      id: 'no-max',
      conditions: { addresses: [at('max')] },
      subscription: 'block',
      grant: {},
    }
    const put = await api(two, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['bea'],
      body: { rules: [rule] },
    })
    expect(put.status).toBe(200)
    expect(await max.next(whoChange(at('bea')))).toMatchObject({ op: 'left' })
    // Inside one organization a block looks like being offline (polite), never like more.
    const hidden = await max.next((m) => m.type === 'change' && m['address'] === at('bea'))
    expect(hidden['view']).toEqual({
      address: at('bea'),
      availability: 'offline',
      displayName: 'bea',
    })
    // From now on nothing about Bea reaches Max on any node, while Ann's changes still do.
    await bea.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    await ann.request({ type: 'publish', source: 'laptop', availability: 'away' })
    expect(await max.next(whoChange(at('ann')))).toMatchObject({ op: 'left' })
    const aboutBea = max.messages.filter((m) => m['address'] === at('bea'))
    expect(aboutBea.map((m) => m.type)).toEqual(['who-change', 'snapshot', 'who-change', 'change'])
    // A fresh request on the first node gets the same answer.
    const again = await TestSocket.open(one, tokens['max']!)
    const fresh = await again.request({
      type: 'who',
      addresses,
      availability: ['available', 'away', 'busy'],
    })
    expect((fresh['entries'] as { address: string }[]).map((e) => e.address)).toEqual([at('ann')])
    await Promise.all([ann.close(), bea.close(), max.close(), again.close()])
  })

  it('ends a revoked watcher’s live watch and tells the owner, whatever nodes they are on', async () => {
    const { nodes } = await cluster()
    const [one, two, three] = nodes.map((n) => n.url) as [string, string, string]
    const { tokens } = await addUsers(one, ['ida', 'jon'])
    const body = { address: at('ida') }
    await api(two, { path: '/v1/subscriptions', token: tokens['jon'], body })
    const ida = await TestSocket.open(three, tokens['ida']!)
    await ida.request({ type: 'publish', source: 'laptop', availability: 'available' })
    const jon = await TestSocket.open(two, tokens['jon']!)
    await jon.request({ type: 'subscribe', addresses: [at('ida')] })
    await jon.next((m) => m.type === 'snapshot' && m['address'] === at('ida'))

    // Ida revokes Jon through the first node: his watch on the second ends, her session on the
    // third is told, and nothing more of her reaches him.
    const path = `/v1/me/watchers/${encodeURIComponent(at('jon'))}`
    const revoked = await api(one, { method: 'DELETE', path, token: tokens['ida'] })
    expect(revoked.status).toBe(204)
    await jon.next((m) => m.type === 'unwatched' && m['address'] === at('ida'))
    // Ida may first be told of Jon's subscription itself, when its event reached the third node
    // after her session opened (a loaded machine); the last she hears of Jon is the revocation.
    const told = await ida.next((m) => m.type === 'watcher' && m['state'] === 'revoked')
    expect(told).toMatchObject({ watcher: at('jon') })
    await ida.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    const aboutJon = ida.messages.filter((m) => m.type === 'watcher' && m['watcher'] === at('jon'))
    expect(aboutJon.at(-1)).toMatchObject({ state: 'revoked' })
    jon.send({ type: 'ping', id: 'barrier' })
    await jon.next((m) => m.type === 'pong' && m['id'] === 'barrier')
    const aboutIda = jon.messages.filter((m) => m['address'] === at('ida')).map((m) => m.type)
    expect(aboutIda).toEqual(['snapshot', 'unwatched'])
    await Promise.all([ida.close(), jon.close()])
  })

  it('a token verified on every node stops on every node when it is revoked on one, and an account changed on one is read again on all', async () => {
    const { nodes } = await cluster()
    const [one, two, three] = nodes.map((n) => n.url) as [string, string, string]
    const { admin } = await addUsers(one, ['lou'])
    // A one-time password: its token is refused everywhere until the password is changed.
    const set = await api(one, {
      method: 'PUT',
      path: `/v1/users/${encodeURIComponent(at('lou'))}/password`,
      token: admin,
      body: { password: 'lou-one-time-password' },
    })
    expect(set.status).toBe(200)
    const signIn = await api<{ token: string }>(two, {
      path: '/v1/auth/login',
      body: { address: at('lou'), password: 'lou-one-time-password', tokenName: 'cached' },
    })
    const token = signIn.body.token
    const me = (url: string) => api<{ displayName: string }>(url, { path: '/v1/me', token })
    // Each node verifies (and keeps) the token as it is now.
    for (const url of [one, two, three]) expect((await me(url)).status).toBe(403)
    const changed = await api(three, {
      method: 'PUT',
      path: '/v1/me/password',
      token,
      body: { currentPassword: 'lou-one-time-password', newPassword: 'lou-password-changed' },
    })
    expect(changed.status).toBe(200)
    expect((await me(three)).status).toBe(200)
    for (const url of [one, two]) await eventually(async () => (await me(url)).status === 200)

    const renamed = await api(two, {
      method: 'PATCH',
      path: '/v1/me',
      token,
      body: { displayName: 'Lou Renamed' },
    })
    expect(renamed.status).toBe(200)
    for (const url of [one, three])
      await eventually(async () => (await me(url)).body.displayName === 'Lou Renamed')

    const tokenId = (
      await api<{ id: string; name: string }[]>(one, { path: '/v1/auth/tokens', token })
    ).body.find((t) => t.name === 'cached')?.id
    const socket = await TestSocket.open(three, token)
    const revoked = await api(one, { method: 'DELETE', path: `/v1/auth/tokens/${tokenId}`, token })
    expect(revoked.status).toBe(204)
    expect((await me(one)).status).toBe(401)
    for (const url of [two, three]) await eventually(async () => (await me(url)).status === 401)
    await socket.next((m) => m.type === 'access-ended')
  })

  it('a team created or deleted on one node is asked about on the others at once', async () => {
    const { nodes } = await cluster()
    const [one, two] = nodes.map((n) => n.url) as [string, string, string]
    const { admin, tokens } = await addUsers(one, ['tia', 'ulf'])
    const who = (url: string) =>
      api<{ address: string }[]>(url, {
        path: '/v1/availability?team=night-shift',
        token: tokens['ulf'],
      })
    // Node two reads (and holds) the organization's teams while there is no such team.
    expect((await who(two)).status).toBe(404)
    const created = await api<{ id: string }>(one, {
      path: '/v1/groups',
      token: admin,
      body: { name: 'night-shift', members: [at('tia'), at('ulf')] },
    })
    expect(created.status).toBe(201)
    await eventually(async () => (await who(two)).status === 200)
    expect((await who(two)).body.map((e) => e.address)).toEqual([at('tia')])
    const removed = await api(one, {
      method: 'DELETE',
      path: `/v1/groups/${created.body.id}`,
      token: admin,
    })
    expect(removed.status).toBe(204)
    await eventually(async () => (await who(two)).status === 404)
  })

  it('runs a gathering across nodes: invitations, answers and cancelling reach whoever is where', async () => {
    const { nodes } = await cluster()
    const [one, two, three] = nodes.map((n) => n.url) as [string, string, string]
    const { tokens } = await addUsers(one, ['kim', 'lea', 'mo'])
    const lea = await TestSocket.open(two, tokens['lea']!)
    const mo = await TestSocket.open(three, tokens['mo']!)
    await lea.request({ type: 'publish', source: 'laptop', availability: 'available' })
    await mo.request({ type: 'publish', source: 'laptop', availability: 'busy' })
    const kim = await TestSocket.open(three, tokens['kim']!)
    // Kim is signed in on the second node too: what reaches him there comes after node two's copy.
    const kimOnTwo = await TestSocket.open(two, tokens['kim']!)

    // Kim starts it on the first node; Lea (free, on the second) is invited, Mo (busy) waits.
    const started = await api<{ id: string }>(one, {
      path: '/v1/gatherings',
      token: tokens['kim'],
      body: { addresses: [at('lea'), at('mo')], topic: 'Quick sync', inviteLater: true },
    })
    expect(started.status).toBe(201)
    const { id } = started.body
    expect(await lea.next((m) => m.type === 'invitation')).toMatchObject({ gathering: id })
    // Mo becomes free on the third node: the first node invites him there.
    await mo.request({ type: 'publish', source: 'laptop', availability: 'available' })
    expect(await mo.next((m) => m.type === 'invitation')).toMatchObject({ gathering: id })

    // Lea answers through the third node; Kim, on the third too, hears it from the first.
    const invitations = await api<{ gathering: string }[]>(three, {
      path: '/v1/me/invitations',
      token: tokens['lea'],
    })
    expect(invitations.body.map((i) => i.gathering)).toEqual([id])
    const answer = { answer: 'accept' }
    const path = `/v1/me/invitations/${id}`
    const accepted = await api(three, { path, token: tokens['lea'], body: answer })
    expect(accepted.body).toEqual({ gathering: id, state: 'accepted' })
    const leaAccepted = (m: Record<string, unknown>) =>
      m['type'] === 'gathering' && m['address'] === at('lea') && m['state'] === 'accepted'
    await kim.next(leaAccepted)
    // The holder shares the gathering's state before it tells the organizer, on one ordered
    // channel: once Kim's session on node two has heard the answer, node two's copy has it.
    await kimOnTwo.next(leaAccepted)
    const seen = await api<{ invitees: { address: string; state: string }[] }>(two, {
      path: `/v1/gatherings/${id}`,
      token: tokens['kim'],
    })
    expect(Object.fromEntries(seen.body.invitees.map((i) => [i.address, i.state]))).toEqual({
      [at('lea')]: 'accepted',
      [at('mo')]: 'invited',
    })

    // Kim cancels through the second node: both invitees are told.
    const cancelled = await api(two, {
      method: 'DELETE',
      path: `/v1/gatherings/${id}`,
      token: tokens['kim'],
    })
    expect(cancelled.status).toBe(204)
    for (const socket of [lea, mo])
      expect(await socket.next((m) => m.type === 'invitation-ended')).toMatchObject({
        gathering: id,
      })
    await kim.next((m) => m.type === 'gathering-ended')
    await Promise.all([kim.close(), kimOnTwo.close(), lea.close(), mo.close()])
  })

  it('delivers each webhook endpoint from one node: every change arrives once', async () => {
    const { nodes } = await cluster()
    const [one, two] = nodes.map((n) => n.url) as [string, string]
    const { tokens } = await addUsers(one, ['pia', 'rut'])
    const receivers = await Promise.all([1, 2, 3, 4, 5].map(() => startReceiver()))
    try {
      for (const [i, receiver] of receivers.entries()) {
        const body = { url: receiver.url, addresses: [at('rut')], events: ['presence'] }
        const node = nodes[i % nodes.length]!.url
        expect((await api(node, { path: '/v1/webhooks', token: tokens['pia'], body })).status).toBe(
          201,
        )
      }
      // Each endpoint has exactly one node delivering it.
      await eventually(async () => (await delivering(nodes.map((n) => n.url))) === receivers.length)
      const rut = await TestSocket.open(two, tokens['rut']!)
      for (const availability of ['busy', 'away']) {
        await rut.request({ type: 'publish', source: 'laptop', availability })
        await eventually(() => receivers.every((r) => viewsOf(r, availability).length > 0))
      }
      // The second change arrived everywhere, so any copy of the first would have by now.
      for (const receiver of receivers) expect(viewsOf(receiver, 'busy')).toHaveLength(1)
      await rut.close()
    } finally {
      for (const receiver of receivers) await receiver.close()
    }
  })

  it('a webhook deleted on one node stops on every node, also one that took it over', async () => {
    const { nodes, add } = await cluster()
    const [one, two] = nodes.map((n) => n.url) as [string, string]
    const { tokens } = await addUsers(one, ['nia', 'ola'])
    const receiver = await startReceiver()
    const barrier = await startReceiver()
    try {
      const hook = (url: string) => ({ url, addresses: [at('ola')], events: ['presence'] })
      const created = await api<{ id: string }>(one, {
        path: '/v1/webhooks',
        token: tokens['nia'],
        body: hook(receiver.url),
      })
      expect(created.status).toBe(201)
      // A node started now may become the endpoint's owner.
      await add()
      const ola = await TestSocket.open(two, tokens['ola']!)
      await ola.request({ type: 'publish', source: 'laptop', availability: 'busy' })
      await eventually(() => viewsOf(receiver, 'busy').length > 0)

      const path = `/v1/webhooks/${created.body.id}`
      expect((await api(one, { method: 'DELETE', path, token: tokens['nia'] })).status).toBe(204)
      // Another endpoint, made after the deletion, hears the next change: by then no node delivers
      // the deleted one.
      await api(two, { path: '/v1/webhooks', token: tokens['nia'], body: hook(barrier.url) })
      await eventually(() => barrier.received.length > 0)
      await ola.request({ type: 'publish', source: 'laptop', availability: 'away' })
      await eventually(() => viewsOf(barrier, 'away').length > 0)
      expect(viewsOf(receiver, 'away')).toEqual([])
      await ola.close()
    } finally {
      await receiver.close()
      await barrier.close()
    }
  })
})

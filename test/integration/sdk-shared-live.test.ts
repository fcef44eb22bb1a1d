// Integration: tabs sharing one live connection (SharedLive, on Node's BroadcastChannel and a
// stand-in for Web Locks): one connection for all, every tab gets the events, and when the leader
// tab closes the next one takes over and resumes with no change missed or repeated.
import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { shareLive, type SharedLive } from '../../packages/sdk/src/browser/index.js'
import type { ChangeMessage, WebSocketConstructor } from '../../packages/sdk/src/index.js'
import { NarvaroLive } from '../../packages/sdk/src/index.js'
import { FakeLocks } from '../support/fake-locks.js'
import { laptopAvailable, useServer } from '../support/harness-fixture.js'
import { notesOf, strictlyIncreasing } from '../support/sdk-live-client.js'
import { addUsersFast } from '../support/direct-users.js'
import { domain, eventually } from '../support/server-harness.js'

const amyAddress = `amy@${domain}`
const noted = (text: string) => ({ ...laptopAvailable, note: { text } })

describe('tabs sharing one live connection', () => {
  const server = useServer()
  const tabs: SharedLive[] = []
  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.close()
  })

  it('uses one connection for every tab, and the next tab takes over without a gap', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = await server.open(tokens['amy']!)
    await amy.request(noted('n0'))
    const locks = new FakeLocks()
    let connections = 0
    const openTab = () => {
      const tab = shareLive({
        name: 'bo-tabs',
        locks,
        channel: new BroadcastChannel('bo-tabs') as never,
        create: (restore) => {
          connections++
          return new NarvaroLive({
            baseUrl: url,
            token: tokens['bo']!,
            WebSocket: WebSocket as unknown as WebSocketConstructor,
            backoff: { initialMs: 20, maxMs: 200, random: () => 1 },
            restore,
          })
        },
      })
      if (!tab) throw new Error('no sharing')
      tabs.push(tab)
      const changes: ChangeMessage[] = []
      tab.on('change', (m) => changes.push(m))
      return { tab, changes }
    }
    const first = openTab()
    const second = openTab()
    expect(first.tab.leader).toBe(true)
    expect(second.tab.leader).toBe(false)
    const ack = await second.tab.subscribe([amyAddress])
    expect(ack.subscribed).toEqual([amyAddress])
    await amy.request(noted('n1'))
    await eventually(() => notesOf(second.changes).at(-1) === 'n1')
    await eventually(() => notesOf(first.changes).at(-1) === 'n1')
    expect(connections).toBe(1)

    first.tab.close()
    for (const text of ['n2', 'n3']) await amy.request(noted(text))
    await eventually(() => second.tab.leader)
    await eventually(() => notesOf(second.changes).at(-1) === 'n3')
    await amy.request(noted('n4'))
    await eventually(() => notesOf(second.changes).at(-1) === 'n4')
    expect(notesOf(second.changes)).toEqual(['n1', 'n2', 'n3', 'n4'])
    expect(strictlyIncreasing(second.changes)).toBe(true)
    expect(connections).toBe(2)
  })

  it('keeps delivering to a tab while another tab unsubscribes the same presentity', async () => {
    const { url } = await server.start()
    const { tokens } = await addUsersFast(server.harness.server.services, ['amy', 'bo'])
    const amy = await server.open(tokens['amy']!)
    await amy.request(noted('n0'))
    const locks = new FakeLocks()
    const make = () =>
      shareLive({
        name: 'bo-tabs-2',
        locks,
        channel: new BroadcastChannel('bo-tabs-2') as never,
        create: (restore) =>
          new NarvaroLive({
            baseUrl: url,
            token: tokens['bo']!,
            WebSocket: WebSocket as unknown as WebSocketConstructor,
            restore,
          }),
      })!
    const leader = make()
    const follower = make()
    tabs.push(leader, follower)
    const seen: ChangeMessage[] = []
    leader.on('change', (m) => seen.push(m))
    await leader.subscribe([amyAddress])
    await follower.subscribe([amyAddress])
    await follower.unsubscribe([amyAddress])
    await amy.request(noted('n1'))
    await eventually(() => notesOf(seen).at(-1) === 'n1')
  })
})

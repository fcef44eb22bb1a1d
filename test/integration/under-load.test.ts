// Correctness under load, over the real server: many publishers and watchers at once, changes sent
// back to back without waiting. A live watcher receives every change of every presentity it
// watches exactly once, in order; a watcher on coalesced delivery receives an ordered subsequence
// that always ends with the newest state (coalescing drops only superseded states). No timing is
// asserted: the test waits for the final states, however long the machine takes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness, Message } from '../support/server-harness.js'
import { addUsersFast } from '../support/direct-users.js'
import { TestSocket, domain, eventually, startHarness } from '../support/server-harness.js'

const users = Array.from({ length: 16 }, (_, i) => `load${i}`)
const k = 3 // each watches its ring neighbours i±1..i±3
const changes = 40
const address = (name: string) => `${name}@${domain}`
const noteOf = (m: Message) => (m['view'] as { note?: { text: string } }).note?.text

let h: Harness
let tokens: Record<string, string>

beforeAll(async () => {
  h = await startHarness({
    env: {
      NARVARO_PUBLICATION_BURST: '10000',
      NARVARO_PUBLICATIONS_PER_SECOND: '10000',
      NARVARO_REQUESTS_PER_MINUTE: '100000',
    },
  })
  tokens = (await addUsersFast(h.server.services, users)).tokens
}, 60_000)
afterAll(() => h.stop())

const neighbours = (i: number) =>
  Array.from({ length: k }, (_, d) => [
    users[(i + d + 1) % users.length]!,
    users[(i - d - 1 + users.length) % users.length]!,
  ]).flat()

describe('fan-out under load', () => {
  it('loses, duplicates and reorders nothing; coalescing keeps the newest state', async () => {
    const sockets = await Promise.all(users.map((u) => TestSocket.open(h.url, tokens[u])))
    const coalesced = (i: number) => i % 2 === 1
    await Promise.all(
      sockets.map(async (s, i) => {
        await s.request({
          type: 'publish',
          source: 'desk',
          availability: 'available',
          note: { text: 'start' },
        })
        await s.request({ type: 'subscribe', addresses: neighbours(i).map(address) })
        if (coalesced(i)) await s.request({ type: 'delivery', mode: 'coalesced', intervalMs: 1000 })
      }),
    )
    // Every publisher sends all its changes back to back, all publishers at once.
    for (let n = 0; n < changes; n++) {
      sockets.forEach((s, i) =>
        s.send({
          type: 'publish',
          id: `c${n}`,
          source: 'desk',
          availability: n % 2 === 0 ? 'busy' : 'available',
          note: { text: `${users[i]}#${n}` },
        }),
      )
    }
    const last = (name: string) => `${name}#${changes - 1}`
    await eventually(
      () =>
        sockets.every((s, i) =>
          neighbours(i).every((name) =>
            s.messages.some(
              (m) =>
                m.type === 'change' && m['address'] === address(name) && noteOf(m) === last(name),
            ),
          ),
        ),
      60_000,
    )
    for (const [i, s] of sockets.entries()) {
      expect(s.invalid).toEqual([])
      expect(s.all('error')).toEqual([])
      for (const name of neighbours(i)) {
        const received = s.messages.filter(
          (m) => m.type === 'change' && m['address'] === address(name),
        )
        const seqs = received.map((m) => m['seq'] as number)
        for (let j = 1; j < seqs.length; j++) expect(seqs[j]).toBeGreaterThan(seqs[j - 1]!)
        const indexes = received.map((m) => Number(noteOf(m)!.split('#')[1]))
        if (coalesced(i)) {
          for (let j = 1; j < indexes.length; j++)
            expect(indexes[j]).toBeGreaterThan(indexes[j - 1]!)
          expect(indexes.at(-1)).toBe(changes - 1)
        } else {
          expect(indexes).toEqual(Array.from({ length: changes }, (_, n) => n))
        }
      }
    }
    await Promise.all(sockets.map((s) => s.close()))
  }, 120_000)
})

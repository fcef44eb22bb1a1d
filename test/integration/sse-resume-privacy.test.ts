// Integration: resuming Server-Sent Events with Last-Event-ID tells a polite-blocked watcher nothing
// about hidden activity (it reads exactly as someone who stayed offline), and a cursor the server has
// not given out yet is answered with a fresh snapshot marked resync, never with silence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, startHarness } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'

let h: Harness
let tokens: Record<string, string>
const at = (name: string) => `${name}@${domain}`
const publish = (name: string, body: Record<string, unknown>) =>
  api(h.url, { method: 'PUT', path: '/v1/me/presence/sources/desk', token: tokens[name]!, body })
const addresses = `addresses=${['ivy', 'kim', 'lea'].map(at).join(',')}`

beforeAll(async () => {
  h = await startHarness()
  tokens = (await addUsers(h.url, ['ivy', 'jon', 'kim', 'lea'])).tokens
  await api(h.url, {
    method: 'PUT',
    path: '/v1/me/privacy',
    token: tokens['ivy']!,
    body: {
      rules: [
        {
          id: 'jon',
          conditions: { addresses: [at('jon')] },
          subscription: 'polite-block',
          grant: {},
        },
      ],
    },
  })
})
afterAll(() => h.stop())

/** Opens Jon's stream from `lastEventId`; Lea publishes so that the replay is known to be over. */
const resumeFrom = async (lastEventId: string, marker: string) => {
  const stream = await SseClient.open(h.url, tokens['jon']!, { query: addresses, lastEventId })
  await stream.next('welcome')
  await publish('lea', { availability: 'busy', note: { text: marker } })
  await stream.next('change')
  stream.close()
  return stream.events.filter((e) => e.event !== 'welcome')
}

describe('resuming Server-Sent Events', () => {
  it('a polite-blocked watcher resuming after much hidden activity gets nothing, as for someone offline', async () => {
    await publish('lea', { availability: 'available' })
    const stream = await SseClient.open(h.url, tokens['jon']!, { query: addresses })
    for (let i = 0; i < 3; i++) await stream.next('snapshot')
    const cursor = stream.events.at(-1)!.id!
    stream.close()
    // More changes than the history keeps, all hidden from Jon; Kim stays offline throughout.
    for (let i = 0; i < 12; i++)
      await publish('ivy', { availability: 'available', note: { text: `n${i}` } })
    const after = await resumeFrom(cursor, 'first')
    expect(after.map((e) => [e.event, e.data['address']])).toEqual([['change', at('lea')]])
  })

  it('a cursor of this run that the server has not reached yet gets a snapshot marked resync', async () => {
    const stream = await SseClient.open(h.url, tokens['jon']!, { query: addresses })
    const welcome = await stream.next('welcome')
    stream.close()
    const after = await resumeFrom(
      `${String(welcome.data['epoch'])}.${Number.MAX_SAFE_INTEGER}`,
      'second',
    )
    const snapshots = after.filter((e) => e.event === 'snapshot')
    expect(snapshots.map((e) => e.data['address']).sort()).toEqual(['ivy', 'kim', 'lea'].map(at))
    expect(snapshots.every((e) => e.data['resync'] === true)).toBe(true)
  })
})

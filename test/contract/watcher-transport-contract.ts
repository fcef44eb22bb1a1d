// The watcher transport contract: one shared suite that every live watcher channel runs (WebSocket,
// Server-Sent Events, webhooks, the XMPP gateway) against the real server; contract tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Harness } from '../support/server-harness.js'
import { addUsersDirectly } from '../support/direct-users.js'
import { addUsers, api, domain, startHarness } from '../support/server-harness.js'

/** A presence message as any channel carries it, normalized to the hub's narvaro.v1 shape. */
export interface PresenceMessage {
  readonly type: 'snapshot' | 'change' | 'unwatched'
  readonly address: string
  readonly seq?: number
  readonly view?: { readonly availability: string; readonly note?: { readonly text: string } }
  /** The message as the channel carried it, to check that nothing hidden is anywhere in it. */
  readonly raw: string
}

export type MessageMatch = (m: PresenceMessage) => boolean

/** The part of a view a test sets, and expects a message to say. */
export interface ExpectedView {
  readonly availability: string
  readonly note?: { readonly text: string }
}

/** A message a test expects: its kind, whose presence, and what it says (none for `unwatched`). */
interface Expected {
  readonly type: PresenceMessage['type']
  readonly address: string
  readonly view?: ExpectedView
}

export interface WatcherChannel {
  /** The first unread presence message that matches, waiting for it if needed. */
  next(match?: MessageMatch, timeoutMs?: number): Promise<PresenceMessage>
  /** Fails when a presence message (that matches) arrives within `ms` of the call. */
  nothingWithin(ms: number, match?: MessageMatch): Promise<void>
  /** Every presence message so far, in the order received. */
  all(): readonly PresenceMessage[]
  /** Resolves once the channel has told its watcher that it ended, and closed. */
  ended(timeoutMs?: number): Promise<void>
  close(): Promise<void>
  /**
   * For a channel that carries less than a view (an XMPP presence stanza: availability, a status
   * text, idleness): the `raw` message it carries for `view` of `address`, undefined meaning not
   * watched any more. The suite then compares each message with this rendering where it would
   * compare the view's fields; such a channel tells a snapshot from a change only by order (the
   * first of an address), and an `unwatched` from an offline not at all.
   */
  readonly rendering?: (address: string, view: ExpectedView | undefined) => string
}

export interface Watcher {
  readonly address: string
  readonly token: string
}

interface Person extends Watcher {
  readonly name: string
}

export interface WatcherTransport {
  /**
   * What the channel belongs to. A WebSocket or an SSE stream is a session of one token and ends
   * with it; a webhook endpoint watches as its owner and outlives the token that created it, and
   * an XMPP stream, signed in with the password, holds a token of its own and outlives any other.
   */
  readonly boundTo: 'token' | 'owner'
  /**
   * Whether the channel can tell its watcher that it ended. A webhook has nobody to tell: the
   * endpoint just stops delivering, and `ended()` resolves at once.
   */
  readonly signalsEnd: boolean
  open(watcher: Watcher, addresses: readonly string[]): Promise<WatcherChannel>
}

const at = (name: string) => `${name}@${domain}`
const about =
  (name: string): MessageMatch =>
  (m) =>
    m.address === at(name)
/** Whether `m` says `view` of `address`: its fields, or the channel's rendering of it. */
const says = (
  channel: WatcherChannel,
  m: PresenceMessage,
  address: string,
  view: ExpectedView,
): boolean =>
  m.address === address &&
  (channel.rendering
    ? m.raw === channel.rendering(address, view)
    : m.view?.availability === view.availability)
const changeOf =
  (channel: WatcherChannel, name: string, availability: string): MessageMatch =>
  (m) =>
    m.type === 'change' && says(channel, m, at(name), { availability })
/** Expects `m` to be `expected`: its fields, or exactly the channel's rendering of its view. */
const expectMessage = (channel: WatcherChannel, m: PresenceMessage, expected: Expected) => {
  if (!channel.rendering) return void expect(m).toMatchObject(expected)
  expect({ address: m.address, raw: m.raw }).toEqual({
    address: expected.address,
    raw: channel.rendering(expected.address, expected.view),
  })
  if (expected.type === 'snapshot') expect(m.type).toBe('snapshot')
}
/** Long enough for a stray message to arrive after what the test waited for. */
const quietMs = 150

export const describeWatcherTransport = (
  name: string,
  driver: (url: string, harness: Harness) => WatcherTransport,
  env: Record<string, string> = {},
): void => {
  describe(`watcher transport contract: ${name}`, () => {
    let h: Harness
    let admin: string
    let transport: WatcherTransport
    let run = 0
    beforeAll(async () => {
      h = await startHarness({ clock: new FixedClock(Date.UTC(2026, 10, 24, 10, 0, 0)), env })
      admin = (await addUsers(h.url, [])).admin
      transport = driver(h.url, h)
    })
    afterAll(() => h.stop())

    /** Fresh people for one test: each name gets a suffix, so tests never share a presentity. */
    const people = async <N extends string>(
      names: readonly N[],
      organization = domain,
    ): Promise<Record<N, Person>> => {
      run += 1
      const tokens = await addUsersDirectly(
        h.server.services,
        names.map((n) => `${n}${run}`),
        { domain: organization },
      )
      const person = (n: string): Person => ({
        name: `${n}${run}`,
        address: `${n}${run}@${organization}`,
        token: tokens[`${n}${run}`]!,
      })
      return Object.fromEntries(names.map((n) => [n, person(n)])) as Record<N, Person>
    }
    const put = (who: Person, path: string, body: unknown) =>
      api(h.url, { method: 'PUT', path, token: who.token, body })
    const publish = (who: Person, body: Record<string, unknown>) =>
      put(who, '/v1/me/presence/sources/desk', body)
    const rules = async (
      who: Person,
      list: readonly [Person, string, Record<string, unknown>][],
    ) => {
      const reply = await put(who, '/v1/me/privacy', {
        rules: list.map(([watcher, subscription, grant]) => ({
          id: watcher.name,
          conditions: { addresses: [watcher.address] },
          subscription,
          grant,
        })),
      })
      expect(reply.status).toBe(200)
    }

    it('an allowed watcher gets the current view first, then each change in order', async () => {
      const { amy, bob } = await people(['amy', 'bob'])
      await rules(amy, [[bob, 'allow', {}]])
      await publish(amy, { availability: 'available' })
      const channel = await transport.open(bob, [amy.address])
      const snapshot = await channel.next()
      expectMessage(channel, snapshot, {
        type: 'snapshot',
        address: amy.address,
        view: { availability: 'available' },
      })
      await publish(amy, { availability: 'busy' })
      const busy = await channel.next(changeOf(channel, amy.name, 'busy'))
      await publish(amy, { availability: 'away' })
      const away = await channel.next(changeOf(channel, amy.name, 'away'))
      const shown = (availability: string) =>
        channel.rendering?.(amy.address, { availability }) ?? availability
      expect(
        channel.all().map((m) => [m.type, channel.rendering ? m.raw : m.view?.availability]),
      ).toEqual([
        ['snapshot', shown('available')],
        ['change', shown('busy')],
        ['change', shown('away')],
      ])
      // A stanza has no sequence number: its order on the stream, checked above, is the order.
      if (!channel.rendering) expect(away.seq!).toBeGreaterThan(busy.seq!)
      await channel.close()
    })

    it('a field the policy hides never appears in any message', async () => {
      const { amy, bob } = await people(['amy', 'bob'])
      await put(amy, '/v1/me/contact-methods', [
        { kind: 'im', address: amy.address, rank: 1, scope: 'work' },
        { kind: 'phone', address: '+46 70 555 HOME', rank: 2, scope: 'personal' },
      ])
      await rules(amy, [[bob, 'allow', { contactScopes: ['work'] }]])
      const device = { capabilities: ['im', 'phone'] }
      await publish(amy, { availability: 'available', device, note: { text: 'secret plans' } })
      const channel = await transport.open(bob, [amy.address])
      const snapshot = await channel.next()
      // What the grant shows does arrive: the check below is not passing on empty messages. A
      // presence stanza carries no contact methods: there it is the rendering, with no status.
      if (channel.rendering)
        expectMessage(channel, snapshot, {
          type: 'snapshot',
          address: amy.address,
          view: { availability: 'available' },
        })
      else expect(snapshot.raw).toContain(`"scope":"work"`)
      await publish(amy, { availability: 'busy', device, note: { text: 'more secret plans' } })
      await channel.next(changeOf(channel, amy.name, 'busy'))
      for (const message of channel.all()) {
        expect(message.raw).not.toContain('secret')
        expect(message.raw).not.toContain('HOME')
        expect(message.raw).not.toContain('personal')
      }
      await channel.close()
    })

    /** After `block`, Amy's changes reach Bob's channel no more (Cy's, on the same channel, still do). */
    const blockedBy = async (args: {
      readonly watcher: Person
      readonly block: (amy: Person, bob: Person) => Promise<void>
      readonly told: (m: PresenceMessage, channel: WatcherChannel, amy: Person) => void
    }) => {
      const { amy, cy } = await people(['amy', 'cy'])
      const bob = args.watcher
      await rules(amy, [[bob, 'allow', { note: true }]])
      await rules(cy, [[bob, 'allow', {}]])
      await publish(amy, { availability: 'available', note: { text: 'at my desk' } })
      const channel = await transport.open(bob, [amy.address, cy.address])
      await channel.next((m) => m.type === 'snapshot' && m.address === amy.address)
      await channel.next((m) => m.type === 'snapshot' && m.address === cy.address)
      const before = channel.all().length
      await args.block(amy, bob)
      const told = await channel.next(about(amy.name))
      args.told(told, channel, amy)
      await publish(amy, { availability: 'busy', note: { text: 'blocked' } })
      await publish(amy, { availability: 'away' })
      // Cy's change comes after Amy's on the same channel: by then any message of Amy's is here.
      await publish(cy, { availability: 'busy' })
      await channel.next(changeOf(channel, cy.name, 'busy'))
      await channel.nothingWithin(quietMs, about(amy.name))
      expect(channel.all().slice(before).filter(about(amy.name))).toEqual([told])
      await channel.close()
    }

    it('a watcher of another organization that the presentity blocks is told the presentity is gone, then gets nothing more of them', async () => {
      const { bob } = await people(['bob'], 'globex.example')
      await blockedBy({
        watcher: bob,
        block: (amy) => rules(amy, [[bob, 'block', {}]]),
        told: (m, channel, amy) =>
          expectMessage(channel, m, { type: 'unwatched', address: amy.address }),
      })
    })

    // A colleague's block reads as polite-block (src/core/policy/effective-handling.ts): the
    // directory shows the colleague anyway, so the channel's equivalent of `unwatched` is an
    // ordinary offline with no grants, and after it nothing more, whatever the presentity does.
    it('a colleague the presentity blocks sees them offline with nothing granted, then nothing more of them', async () => {
      const { bob } = await people(['bob'])
      await blockedBy({
        watcher: bob,
        block: (amy) => rules(amy, [[bob, 'block', {}]]),
        told: (m, channel, amy) => {
          const view = { availability: 'offline' }
          expectMessage(channel, m, { type: 'change', address: amy.address, view })
          // A stanza's rendering of offline is `unavailable`, which holds no field at all.
          if (!channel.rendering)
            expect(Object.keys(m.view!).sort()).toEqual(['address', 'availability', 'displayName'])
        },
      })
    })

    it('a widened grant brings the new view without any presence change', async () => {
      const { amy, bob } = await people(['amy', 'bob'])
      await rules(amy, [[bob, 'allow', {}]])
      await publish(amy, { availability: 'available', note: { text: 'lunch at noon' } })
      const channel = await transport.open(bob, [amy.address])
      const snapshot = await channel.next()
      if (!channel.rendering) expect(snapshot.view).not.toHaveProperty('note')
      const available = { availability: 'available' }
      expectMessage(channel, snapshot, { type: 'snapshot', address: amy.address, view: available })
      await rules(amy, [[bob, 'allow', { note: true }]])
      const widened = await channel.next(about(amy.name))
      expectMessage(channel, widened, {
        type: 'change',
        address: amy.address,
        view: { ...available, note: { text: 'lunch at noon' } },
      })
      await channel.close()
    })

    it('a change the watcher cannot see sends nothing', async () => {
      const { amy, bob } = await people(['amy', 'bob'])
      await rules(amy, [[bob, 'allow', {}]])
      await publish(amy, { availability: 'available' })
      const channel = await transport.open(bob, [amy.address])
      await channel.next()
      await publish(amy, { availability: 'available', note: { text: 'hidden' } })
      // The quiet wait matters for webhooks, whose outbox would let the next change replace it.
      await channel.nothingWithin(quietMs)
      await publish(amy, { availability: 'busy', note: { text: 'hidden' } })
      expectMessage(channel, await channel.next(), {
        type: 'change',
        address: amy.address,
        view: { availability: 'busy' },
      })
      expect(channel.all()).toHaveLength(2)
      await channel.close()
    })

    /** Ends `bob`'s access with `end`; afterwards Amy's change reaches a probe channel but not Bob's. */
    const afterAccessEnds = async (
      token: (bob: Person) => Promise<string>,
      end: (bob: Person, token: string, channel: WatcherChannel) => Promise<void>,
    ) => {
      const { amy, bob, dan } = await people(['amy', 'bob', 'dan'])
      await rules(amy, [
        [bob, 'allow', {}],
        [dan, 'allow', {}],
      ])
      const watcherToken = await token(bob)
      const channel = await transport.open({ address: bob.address, token: watcherToken }, [
        amy.address,
      ])
      const probe = await transport.open(dan, [amy.address])
      await channel.next()
      await probe.next()
      await end(bob, watcherToken, channel)
      await publish(amy, { availability: 'busy' })
      await probe.next(changeOf(probe, amy.name, 'busy'))
      await probe.close()
      return { channel, amy }
    }

    it('a removed watcher ends the channel, and nothing more reaches it', async () => {
      const { channel } = await afterAccessEnds(
        async (bob) => bob.token,
        async (bob, _token, channel) => {
          const removed = await api(h.url, {
            method: 'DELETE',
            path: `/v1/users/${bob.address}`,
            token: admin,
          })
          expect(removed.status).toBe(204)
          await channel.ended()
        },
      )
      await channel.nothingWithin(quietMs)
      expect(channel.all().map((m) => m.type)).toEqual(['snapshot'])
      await channel.close()
    })

    it("a revoked token ends the token's channel; an owner's channel outlives it", async () => {
      const second = async (bob: Person) => {
        const reply = await api<{ token: string }>(h.url, {
          path: '/v1/auth/tokens',
          token: bob.token,
          body: { name: 'second' },
        })
        return reply.body.token
      }
      const revoke = async (bob: Person, token: string) => {
        const mine = await api<{ id: string; name: string }[]>(h.url, {
          path: '/v1/auth/tokens',
          token: bob.token,
        })
        const id = mine.body.find((t) => t.name === 'second')!.id
        const revoked = await api(h.url, {
          method: 'DELETE',
          path: `/v1/auth/tokens/${id}`,
          token: bob.token,
        })
        expect(revoked.status).toBe(204)
        expect((await api(h.url, { path: '/v1/me', token })).status).toBe(401)
      }
      const { channel, amy } = await afterAccessEnds(second, async (bob, token, channel) => {
        await revoke(bob, token)
        if (transport.boundTo === 'token') await channel.ended()
      })
      if (transport.boundTo === 'token') {
        await channel.nothingWithin(quietMs)
        expect(channel.all().map((m) => m.type)).toEqual(['snapshot'])
      } else {
        // A webhook is its owner's, who still has access: it keeps delivering as before.
        await channel.next(changeOf(channel, amy.name, 'busy'))
      }
      await channel.close()
    })
  })
}

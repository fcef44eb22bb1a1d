// Property of the XMPP gateway over the real server (fast-check): for random privacy rules (also
// changed while watching) and random presence, the last presence stanza a watcher's XMPP stream
// holds for the presentity is exactly the gateway's rendering (presence-map.ts) of the last view
// the same watcher's WebSocket holds, once both have settled: XMPP never shows more than the view,
// and never leaves out a stanza (such as an unavailable) that the WebSocket's view calls for.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import type { Publication } from '../../src/core/model/presence-model.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import type { View } from '../../src/core/policy/compute-view.js'
import { addUsersDirectly } from '../support/direct-users.js'
import { permissionsArb, publicationArb } from '../support/arbitraries.js'
import { grantOf } from '../support/privacy-checks.js'
import { t0 } from '../support/publications.js'
import { TestSocket, api, domain, startHarness, type Harness } from '../support/server-harness.js'
import type { ExpectedView, WatcherChannel } from '../contract/watcher-transport-contract.js'
import { xmppEnv, xmppTransport } from '../contract/xmpp-watcher-driver.js'

interface HubMessage {
  readonly type: string
  readonly address?: string
  readonly view?: View
}

const caseArb = fc.record({
  // XMPP watches only after its subscription is accepted; a polite block looks accepted.
  first: permissionsArb.map((p) => ({
    ...p,
    subscription: p.subscription === 'allow' ? ('allow' as const) : ('polite-block' as const),
  })),
  before: fc.array(publicationArb(t0), { maxLength: 3 }),
  // Then, while watching: any rule (a block included), or none, and more presence.
  then: fc.option(permissionsArb, { nil: undefined }),
  after: fc.array(publicationArb(t0), { maxLength: 3 }),
})

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('XMPP presence and the WebSocket view', () => {
  let h: Harness
  let run = 0
  beforeAll(async () => {
    h = await startHarness({ clock: new FixedClock(t0), env: xmppEnv })
  })
  afterAll(() => h.stop())

  const setRule = async (amy: string, bob: string, p: Permissions) => {
    const user = (await h.server.services.store.getUserByAddress(amy))!
    await h.server.services.privacy.setPrivacy(user, {
      rules: [
        {
          id: 'bob',
          conditions: { addresses: [bob] },
          subscription: p.subscription,
          grant: grantOf(p),
        },
      ],
      ...(p.appearOffline ? { appearOfflineTo: [bob] } : {}),
    })
  }

  const publishAll = async (address: string, publications: readonly Publication[]) => {
    for (const publication of publications) h.server.services.engine.publish(address, publication)
    await pause(20)
  }

  /** A change of Cy's after Amy's: once both channels have it, Amy's before it have come too. */
  const barrier = async (
    cy: { token: string; address: string },
    socket: TestSocket,
    xmpp: WatcherChannel,
  ) => {
    const body = { availability: 'busy', note: { text: 'barrier' } }
    const reply = await api(h.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: cy.token,
      body,
    })
    expect(reply.status).toBe(200)
    await socket.next(
      (m) => m.address === cy.address && (m.view as View | undefined)?.note?.text === 'barrier',
    )
    await xmpp.next((m) => m.address === cy.address && m.raw.includes('<status>barrier</status>'))
  }

  it('the last stanza for a presentity is the rendering of the last WebSocket view', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ first, before, then, after }) => {
        run += 1
        const names = [`amy${run}`, `bob${run}`, `cy${run}`]
        const tokens = await addUsersDirectly(h.server.services, names)
        const [amy, bob, cy] = names.map((n) => ({ address: `${n}@${domain}`, token: tokens[n]! }))
        await setRule(amy!.address, bob!.address, first)
        await setRule(cy!.address, bob!.address, {
          ...first,
          subscription: 'allow',
          note: true,
          appearOffline: false,
        })
        await publishAll(amy!.address, before)
        const watched = [amy!.address, cy!.address]
        const socket = await TestSocket.open(h.url, bob!.token)
        expect((await socket.request({ type: 'subscribe', addresses: watched })).type).toBe('ack')
        const xmpp = await xmppTransport(h.url, h).open(bob!, watched)
        if (then) await setRule(amy!.address, bob!.address, then)
        await publishAll(amy!.address, after)
        await barrier(cy!, socket, xmpp)
        // What the XMPP client shows of Amy: her last stanza. None at all would read as
        // unavailable (RFC 6121 §4.3), but the client must be told as explicitly as the WebSocket.
        const lastStanza = () =>
          xmpp
            .all()
            .filter((m) => m.address === amy!.address)
            .at(-1)?.raw
        // The rendering (presence-map.ts, for the channel's JID) of the WebSocket's last message
        // about Amy; none there, none over XMPP either.
        const expected = () => {
          const last = (socket.messages as HubMessage[])
            .filter((m) => m.address === amy!.address)
            .at(-1)
          if (!last) return undefined
          const view = last.type === 'unwatched' ? undefined : (last.view as ExpectedView)
          return xmpp.rendering!(amy!.address, view)
        }
        // Both have settled once they agree; if they never do, the comparison below shows how.
        for (let i = 0; i < 100 && lastStanza() !== expected(); i++) await pause(20)
        expect(lastStanza()).toBe(expected())
        await xmpp.close()
        await socket.close()
      }),
      { numRuns: 20 },
    )
  }, 120_000)
})

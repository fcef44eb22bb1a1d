// The XMPP driver of the watcher transport contract: a raw-socket client signs in as the watcher
// (PLAIN on a plain stream, NARVARO_XMPP_TLS=optional), subscribes to the addresses, sends initial
// presence, and sees their presence stanzas as one WatcherChannel; contract tests.
import { parse, type Element } from 'ltx'
import { presenceFor, renderPresence } from '../../src/transports/xmpp/presence-map.js'
import type { View } from '../../src/core/policy/compute-view.js'
import type { Harness } from '../support/server-harness.js'
import { RawXmppClient } from '../support/xmpp/raw-client.js'
import type {
  ExpectedView,
  PresenceMessage,
  WatcherChannel,
  WatcherTransport,
} from './watcher-transport-contract.js'
import { ReceivedChannel, within } from './watcher-transport-drivers.js'

/** The environment the harness needs for this driver: the gateway, and PLAIN without TLS. */
export const xmppEnv = { NARVARO_XMPP_PORT: '0', NARVARO_XMPP_TLS: 'optional' } as const

const password = 'contract xmpp password 1'

/** The watcher's password: set straight in the store, one argon2 record shared by all. */
const passwords = (h: Harness) => {
  let record: ReturnType<Harness['server']['services']['auth']['hasher']['record']> | undefined
  return async (address: string) => {
    const { store, auth } = h.server.services
    record ??= auth.hasher.record(password)
    const user = await store.getUserByAddress(address)
    if (!user) throw new Error(`no user ${address}`)
    if (!user.scram)
      await store.updateUser(user.id, { ...(await record), mustChangePassword: false })
  }
}

/** Availability presence (no type, or unavailable), not subscription handling or errors. */
const isPresence = (e: Element) =>
  e.name === 'presence' && (e.attrs['type'] === undefined || e.attrs['type'] === 'unavailable')

/** One stanza as the canonical text of its element, so that equal XML compares equal. */
export const canonical = (xml: string): string => parse(xml).toString()

/** The stanza the gateway renders for `view` of `address` (undefined: no longer watched) to `jid`. */
export const renderedFor = (address: string, view: View | undefined, jid: string): string =>
  canonical(presenceFor(renderPresence(address, view), jid))

/** The stanzas as presence messages: an address's first is its snapshot, the others changes. */
const messagesOf = (client: RawXmppClient): PresenceMessage[] => {
  const seen = new Set<string>()
  return client.elements.filter(isPresence).map((e) => {
    const address = String(e.attrs['from']).split('/')[0]!
    const type = seen.has(address) ? 'change' : 'snapshot'
    seen.add(address)
    return { type, address, raw: e.toString() }
  })
}

/** Subscribes to each address and waits for the server's answer, then sends initial presence. */
const subscribeAll = async (client: RawXmppClient, addresses: readonly string[]) => {
  for (const address of addresses) {
    const from = client.elements.length
    client.write(`<presence type='subscribe' to='${address}'/>`)
    const answer = await client.next(
      (e) =>
        e.name === 'presence' &&
        e.attrs['from'] === address &&
        ['subscribed', 'unsubscribed'].includes(String(e.attrs['type'])),
      { from },
    )
    if (answer.attrs['type'] !== 'subscribed') throw new Error(`not subscribed to ${address}`)
  }
  client.write('<presence/>')
}

let resources = 0

/**
 * XMPP: the stream signs in with the watcher's password and holds a token of its own, so revoking
 * another token of the watcher leaves it running; it ends with a `not-authorized` stream error when
 * the watcher's access ends. A presence stanza holds less than a view: the channel compares with
 * the gateway's rendering of the view instead (`rendering`).
 */
export const xmppTransport = (_url: string, h: Harness): WatcherTransport => {
  const setPassword = passwords(h)
  return {
    boundTo: 'owner',
    signalsEnd: true,
    open: async (watcher, addresses) => {
      await setPassword(watcher.address)
      const client = await RawXmppClient.signIn({
        port: h.server.xmpp!.port,
        address: watcher.address,
        password,
        resource: `contract-${++resources}`,
      })
      await subscribeAll(client, addresses)
      const channel: WatcherChannel = new ReceivedChannel(() => messagesOf(client), {
        ended: async (timeoutMs) => {
          const error = await client.next((e) => e.name === 'stream:error', { timeoutMs })
          if (!error.getChild('not-authorized')) throw new Error(`ended with ${error.toString()}`)
          await within(client.closed, timeoutMs, 'the close')
        },
        close: () => client.close(),
      })
      // The rendering reads only what a test sets of a view (availability, note); the rest is absent.
      return Object.assign(channel, {
        rendering: (address: string, view: ExpectedView | undefined) =>
          renderedFor(address, view as View | undefined, client.jid),
      })
    },
  }
}

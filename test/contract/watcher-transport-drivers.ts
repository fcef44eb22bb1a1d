// The drivers of the watcher transport contract: a WebSocket (narvaro.v1), a Server-Sent Events
// stream and a webhook endpoint with a local receiver, each seen as one WatcherChannel (XMPP's is in
// xmpp-watcher-driver.ts); contract tests.
import { TestSocket, api } from '../support/server-harness.js'
import { SseClient } from '../support/sse-client.js'
import type { Received } from '../support/webhook-receiver.js'
import { startReceiver, verify } from '../support/webhook-receiver.js'
import type {
  MessageMatch,
  PresenceMessage,
  WatcherChannel,
  WatcherTransport,
} from './watcher-transport-contract.js'

const presenceTypes = new Set(['snapshot', 'change', 'unwatched'])

/** The hub message carried as JSON text, when it is a presence message. */
const presenceOf = (raw: string): PresenceMessage | undefined => {
  const message = JSON.parse(raw) as Omit<PresenceMessage, 'raw'>
  return presenceTypes.has(message.type) ? { ...message, raw } : undefined
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

/** A channel over whatever its transport has received so far (polled; nothing is timed but waits). */
export class ReceivedChannel implements WatcherChannel {
  private readCount = 0

  constructor(
    private readonly received: () => readonly PresenceMessage[],
    private readonly ending: {
      ended: (timeoutMs: number) => Promise<void>
      close: () => Promise<void>
    },
  ) {}

  all(): readonly PresenceMessage[] {
    return this.received()
  }

  async next(match: MessageMatch = () => true, timeoutMs = 5000): Promise<PresenceMessage> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const messages = this.received()
      for (let i = this.readCount; i < messages.length; i++) {
        if (!match(messages[i]!)) continue
        this.readCount = i + 1
        return messages[i]!
      }
      if (Date.now() > deadline) throw new Error('no matching presence message in time')
      await tick()
    }
  }

  async nothingWithin(ms: number, match: MessageMatch = () => true): Promise<void> {
    const from = this.received().length
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      const late = this.received().slice(from).filter(match)
      if (late.length > 0) throw new Error(`unexpected: ${late.map((m) => m.raw).join(', ')}`)
      await tick()
    }
  }

  ended(timeoutMs = 5000): Promise<void> {
    return this.ending.ended(timeoutMs)
  }

  close(): Promise<void> {
    return this.ending.close()
  }
}

export const within = async <T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not in time`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** WebSocket narvaro.v1: subscribe, then snapshots and changes; access ends with `access-ended` and a close. */
export const webSocketTransport = (url: string): WatcherTransport => ({
  boundTo: 'token',
  signalsEnd: true,
  open: async (watcher, addresses) => {
    const socket = await TestSocket.open(url, watcher.token)
    const ack = await socket.request({ type: 'subscribe', addresses })
    if (ack.type !== 'ack') throw new Error(`subscribe failed: ${JSON.stringify(ack)}`)
    const received = () => socket.messages.flatMap((m) => presenceOf(JSON.stringify(m)) ?? [])
    return new ReceivedChannel(received, {
      ended: async (timeoutMs) => {
        await socket.next((m) => m.type === 'access-ended', timeoutMs)
        await within(socket.closed, timeoutMs, 'the close')
      },
      close: async () => void (await socket.close()),
    })
  },
})

/** Server-Sent Events: a stream of the addresses; access ends with an `access-ended` event and the end. */
export const serverSentEventsTransport = (url: string): WatcherTransport => ({
  boundTo: 'token',
  signalsEnd: true,
  open: async (watcher, addresses) => {
    const query = `addresses=${addresses.map(encodeURIComponent).join(',')}`
    const stream = await SseClient.open(url, watcher.token, { query })
    if (stream.status !== 200) throw new Error(`the stream was refused: ${stream.status}`)
    await stream.next('welcome')
    const received = () => stream.events.flatMap((e) => presenceOf(JSON.stringify(e.data)) ?? [])
    return new ReceivedChannel(received, {
      ended: async (timeoutMs) => {
        await stream.next('access-ended', timeoutMs)
        await within(stream.ended, timeoutMs, 'the end of the stream')
      },
      close: async () => stream.close(),
    })
  },
})

/**
 * Webhooks: an endpoint of the watcher's, watching as its owner, delivering signed POSTs to a local
 * receiver; each delivery's `data` is the hub message. Every delivery must verify with the secret.
 */
export const webhookTransport = (url: string): WatcherTransport => ({
  boundTo: 'owner',
  signalsEnd: false,
  open: async (watcher, addresses) => {
    const receiver = await startReceiver()
    const created = await api<{ id: string; secret: string }>(url, {
      path: '/v1/webhooks',
      token: watcher.token,
      body: { url: receiver.url, addresses, events: ['presence'] },
    })
    if (created.status !== 201) throw new Error(`no webhook: ${JSON.stringify(created.body)}`)
    const { id, secret } = created.body
    const unsigned = (r: Received) => !verify(secret, r)
    const received = () =>
      receiver.received.flatMap((r) =>
        r.json.type.startsWith('presence.') ? (presenceOf(JSON.stringify(r.json.data)) ?? []) : [],
      )
    return new ReceivedChannel(received, {
      // Nobody to tell: the endpoint stops delivering, which the suite checks.
      ended: async () => {},
      close: async () => {
        await api(url, { method: 'DELETE', path: `/v1/webhooks/${id}`, token: watcher.token })
        await receiver.close()
        const bad = receiver.received.filter(unsigned)
        if (bad.length > 0) throw new Error(`deliveries that do not verify: ${bad.length}`)
      },
    })
  },
})

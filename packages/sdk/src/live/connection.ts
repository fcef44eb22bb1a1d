// One connection of the live client, over WebSocket or over SSE (read only, the fallback); both hand
// over parsed server messages. SDK layer; only web-standard globals or injected constructors.
import { createParser } from 'eventsource-parser'
import type { ServerMessage } from './protocol.js'

/** The part of the standard WebSocket the live client uses (browsers' and the `ws` package's). */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: never) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: never) => void) | null
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

export interface ConnectionHandlers {
  onOpen(): void
  /** Anything arrived (a message or an SSE comment): the connection is alive. */
  onActivity(): void
  onMessage(message: ServerMessage): void
  /** The connection ended; `opened` tells whether it ever opened. */
  onClose(info: { code: number; reason: string; opened: boolean }): void
}

export interface Connection {
  readonly kind: 'websocket' | 'sse'
  send(message: object): void
  close(): void
}

const parse = (text: string): ServerMessage | undefined => {
  try {
    const message = JSON.parse(text) as unknown
    return typeof message === 'object' && message !== null && 'type' in message
      ? (message as ServerMessage)
      : undefined
  } catch {
    return undefined
  }
}

/** Opens `/v1/ws`; the token goes in `access_token` since browsers cannot set headers. */
export const openWebSocket = (
  options: { url: string; token: string; WebSocket: WebSocketConstructor },
  handlers: ConnectionHandlers,
): Connection => {
  const url = new URL('/v1/ws', options.url.replace(/^http/, 'ws'))
  url.searchParams.set('access_token', options.token)
  const socket = new options.WebSocket(url.toString())
  let opened = false
  let ended = false
  const end = (code: number, reason: string) => {
    if (ended) return
    ended = true
    handlers.onClose({ code, reason, opened })
  }
  socket.onopen = () => {
    opened = true
    handlers.onOpen()
  }
  socket.onmessage = (event) => {
    handlers.onActivity()
    const message = typeof event.data === 'string' ? parse(event.data) : undefined
    if (message) handlers.onMessage(message)
  }
  socket.onclose = (event) => end(event.code, event.reason)
  socket.onerror = () => undefined
  return {
    kind: 'websocket',
    send: (message) => socket.send(JSON.stringify(message)),
    close: () => {
      socket.close(1000, 'client closed')
      end(1006, 'closed by the client')
    },
  }
}

/** Statuses that end the session: the token will not do (sent on as close code 4401). */
const refusals: Readonly<Record<number, string>> = { 401: 'unauthenticated', 403: 'forbidden' }

/** Opens `/v1/events` over fetch (headers, resume with `since`), parsed with eventsource-parser. */
export const openEventStream = (
  options: {
    url: string
    token: string
    fetch: typeof globalThis.fetch
    addresses?: readonly string[]
    since?: string
  },
  handlers: ConnectionHandlers,
): Connection => {
  const url = new URL('/v1/events', options.url)
  if (options.addresses) url.searchParams.set('addresses', options.addresses.join(','))
  if (options.since) url.searchParams.set('since', options.since)
  const abort = new AbortController()
  let opened = false
  let ended = false
  const end = (code: number, reason: string) => {
    if (ended) return
    ended = true
    abort.abort()
    handlers.onClose({ code, reason, opened })
  }
  const parser = createParser({
    onEvent: (event) => {
      const message = parse(event.data)
      if (message) handlers.onMessage(message)
    },
    onComment: () => undefined,
  })
  const read = async () => {
    const response = await options.fetch(url, {
      headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    })
    const refused = refusals[response.status]
    if (refused) return end(4401, refused)
    if (!response.ok || !response.body) return end(1006, `HTTP ${response.status}`)
    opened = true
    handlers.onOpen()
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return end(1006, 'stream ended')
      handlers.onActivity()
      parser.feed(value)
    }
  }
  read().catch((error: unknown) => end(1006, String(error)))
  return {
    kind: 'sse',
    send: () => {
      throw new Error('the SSE fallback is read only')
    },
    close: () => end(1006, 'closed by the client'),
  }
}

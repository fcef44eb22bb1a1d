// What every live client of the SDK offers (a tab's own NarvaroLive, or its share of the browser's
// one connection, SharedLive), so that helpers and apps take either. SDK layer.
import type { ConnectionState, LiveEvents } from './live-options.js'
import type { AckMessage, PublishRequest, WhoRequest } from './protocol.js'

/** The requests, events and state of a live client, whoever holds the connection. */
export interface LiveClient {
  readonly state: ConnectionState
  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof LiveEvents>(name: K, listener: (event: LiveEvents[K]) => void): () => void
  /** Resolves once the connection is live. */
  connect(): Promise<void>
  close(): void
  subscribe(addresses?: readonly string[]): Promise<AckMessage>
  unsubscribe(addresses: readonly string[]): Promise<AckMessage>
  publish(publication: PublishRequest): Promise<AckMessage>
  retract(source: string): Promise<AckMessage>
  who(query?: WhoRequest): Promise<AckMessage>
  whoClose(query: string): Promise<AckMessage>
  /** `coalesced` delivery for a client in the background; `live` again in the foreground. */
  delivery(mode: 'live' | 'coalesced', intervalMs?: number): Promise<AckMessage>
  /** The last publication of one of your sources. */
  publicationOf(source: string): PublishRequest | undefined
}

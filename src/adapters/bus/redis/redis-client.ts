// The Redis connection of the cluster adapters, and how they report Redis away; adapter layer.
import { createClient } from 'redis'
import { NarvaroError } from '../../../core/errors.js'

export const unavailable = (error: unknown): NarvaroError =>
  new NarvaroError('NRV_STORE_UNAVAILABLE', `Redis: ${(error as Error)?.message ?? error}`)

/**
 * A client that reconnects by itself once it was connected (backoff up to 2 s); before that, it gives
 * up after five attempts, so a node with a wrong Redis URL says so at start instead of waiting. While
 * it is away, commands fail at once instead of queueing (a publisher gets NRV_STORE_UNAVAILABLE).
 */
export const redisClient = (url: string) => {
  let ready = false
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        ready || retries < 5 ? Math.min(50 * 2 ** retries, 2000) : cause,
    },
  })
  client.on('ready', () => (ready = true))
  return client
}

export type Client = ReturnType<typeof redisClient>

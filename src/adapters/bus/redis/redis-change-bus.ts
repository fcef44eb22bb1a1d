// The change channel of a cluster: every event goes into one Redis stream (XADD), and every node,
// the publisher included, delivers the stream to its handlers in the stream's order (XREAD). One total
// order for all nodes, so each handler gets each event once and in order per presentity, wherever it
// was published; a handler's own publication comes back after the event being delivered, as with the
// in-process bus. Redis unreachable: publish rejects with NRV_STORE_UNAVAILABLE, reading retries with
// backoff and goes on from the last event it delivered. A cluster's presence inputs get their sequence
// number here, in the same script that appends them. Adapter layer.
import { setTimeout as sleep } from 'node:timers/promises'
import { NarvaroError } from '../../../core/errors.js'
import type { BusEvent, BusHandler, ChangeBus } from '../../../ports/bus.js'
import { BusHandlers, rethrowLater } from '../bus-handlers.js'
import { redisClient, unavailable, type Client } from './redis-client.js'

export interface RedisChangeBusOptions {
  /** redis://host:port (NARVARO_REDIS_URL). */
  readonly url: string
  /** The stream's key: every node of one cluster uses the same one. */
  readonly stream?: string
  /** About how many events the stream keeps (XADD MAXLEN ~): what a late reader can still read. */
  readonly maxLength?: number
  /** What a handler threw; by default rethrown on a later turn (a crash), as the in-process bus. */
  readonly onError?: (error: unknown) => void
  /** Reading works again after Redis was away or restarted: what it kept may be lost. */
  readonly onRecovered?: () => void
  /** This node fell so far behind that the stream dropped events before it read them. */
  readonly onBehind?: () => void
}

/**
 * Appends a presence input with the next sequence number: at least two above the last one (a node's
 * refresh takes the one between) and never below Redis's clock in microseconds, so the numbers keep
 * growing after a restart that lost the counter, as a single server's do (they start at its clock).
 */
const appendWithSeq = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local seq = tonumber(redis.call('GET', KEYS[2]) or '0') + 2
if now > seq then seq = now end
local text = string.format('%.0f', seq)
redis.call('SET', KEYS[2], text)
return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'event', ARGV[1], 'seq', text)
`

/** Events that get a sequence number from the channel. */
const numbered = (event: BusEvent): boolean =>
  event.type === 'presence-input' || event.type === 'node-gone'

export class RedisChangeBus implements ChangeBus {
  private readonly handlers: BusHandlers
  private readonly stream: string
  private readonly maxLength: number
  /** The stream id of the last event delivered here; reading goes on after it. */
  private lastId = '$'
  /** The stream id of the last event this node published, for `delivered()`. */
  private lastPublished = '0-0'
  /** Publications sent to Redis and not yet answered. */
  private inFlight = 0
  private readonly waiting = new Set<() => void>()
  private closed = false
  private reading: Promise<void> | undefined

  private constructor(
    private readonly commands: Client,
    private readonly reader: Client,
    private readonly options: RedisChangeBusOptions,
  ) {
    this.stream = options.stream ?? 'narvaro:changes'
    this.maxLength = options.maxLength ?? 100_000
    this.handlers = new BusHandlers(options.onError ?? rethrowLater)
  }

  /** Connects (two connections: one for commands, one blocked reading) and starts reading. */
  static async open(options: RedisChangeBusOptions): Promise<RedisChangeBus> {
    const commands = redisClient(options.url)
    const reader = redisClient(options.url)
    // Errors reach the calls that fail; the clients reconnect by themselves.
    for (const c of [commands, reader]) c.on('error', () => undefined)
    try {
      await Promise.all([commands.connect(), reader.connect()])
    } catch (error) {
      commands.destroy()
      reader.destroy()
      throw unavailable(error)
    }
    const bus = new RedisChangeBus(commands, reader, options)
    // Reading starts after the newest event now in the stream: older ones were before this node.
    const newest = await commands.xRevRange(bus.stream, '+', '-', { COUNT: 1 })
    bus.lastId = newest?.[0]?.id ?? '0-0'
    bus.reading = bus.readLoop()
    return bus
  }

  async publish(event: BusEvent): Promise<void> {
    if (this.closed) throw new NarvaroError('NRV_STORE_UNAVAILABLE', 'the change bus is closed')
    this.inFlight++
    try {
      const id = numbered(event) ? await this.appendNumbered(event) : await this.append(event)
      if (compareIds(id, this.lastPublished) > 0) this.lastPublished = id
    } catch (error) {
      throw unavailable(error)
    } finally {
      this.inFlight--
      this.wake()
    }
  }

  private append(event: BusEvent): Promise<string> {
    return this.commands.xAdd(
      this.stream,
      '*',
      { event: JSON.stringify(event) },
      { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.maxLength } },
    )
  }

  private async appendNumbered(event: BusEvent): Promise<string> {
    const id = await this.commands.eval(appendWithSeq, {
      keys: [this.stream, `${this.stream}:seq`],
      arguments: [JSON.stringify(event), String(this.maxLength)],
    })
    return String(id)
  }

  subscribe(handler: BusHandler): () => void {
    return this.handlers.subscribe(handler)
  }

  /**
   * Resolves once every event this node published so far (and those its handlers published while
   * they were delivered) has been delivered here: for tests and an orderly shutdown.
   */
  delivered(): Promise<void> {
    const done = () =>
      this.closed || (this.inFlight === 0 && compareIds(this.lastId, this.lastPublished) >= 0)
    if (done()) return Promise.resolve()
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return
        this.waiting.delete(check)
        resolve()
      }
      this.waiting.add(check)
    })
  }

  private wake(): void {
    for (const check of [...this.waiting]) check()
  }

  private async readLoop(): Promise<void> {
    let failures = 0
    while (!this.closed) {
      try {
        const reply = await this.reader.xRead(
          { key: this.stream, id: this.lastId },
          { BLOCK: 1000, COUNT: 1000 },
        )
        const recovered = failures > 0
        if (recovered) this.options.onRecovered?.()
        failures = 0
        const from = this.lastId
        for (const { messages } of reply ?? []) for (const entry of messages) this.entry(entry)
        this.wake()
        // After an outage Redis may have restarted empty: onRecovered deals with what was lost.
        if (this.lastId !== from && !recovered) await this.checkNotTrimmed(from)
      } catch {
        if (this.closed) return
        // Redis away: wait, then read on from the last event delivered.
        await sleep(Math.min(50 * 2 ** failures++, 2000))
      }
    }
  }

  /**
   * Whether the read after `from` may have missed events: the stream trims its oldest first, so when
   * `from` is gone while the stream is full, so may be what came after it (a reader slower than
   * MAXLEN); a stream that is short again started afresh (Redis restarted empty, see onRecovered).
   */
  private async checkNotTrimmed(from: string): Promise<void> {
    if (from === '0-0') return
    const first = (await this.commands.xRange(this.stream, '-', '+', { COUNT: 1 }))?.[0]
    if (!first || compareIds(first.id, from) <= 0) return
    // A stream that restarted empty is short; a trimmed one is full.
    if ((await this.commands.xLen(this.stream)) >= this.maxLength) this.options.onBehind?.()
  }

  private entry({ id, message }: { id: string; message: Record<string, string> }): void {
    this.lastId = id
    let event: BusEvent
    try {
      event = JSON.parse(message['event'] ?? '') as BusEvent
    } catch (error) {
      return this.handlers.reportError(error)
    }
    const seq = message['seq']
    if (seq !== undefined && numbered(event)) event = { ...event, seq: Number(seq) } as BusEvent
    this.handlers.deliver(event)
  }

  async ping(): Promise<void> {
    try {
      await this.commands.ping()
    } catch (error) {
      throw unavailable(error)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.handlers.clear()
    this.wake()
    this.reader.destroy()
    await this.reading
    await this.commands.close().catch(() => undefined)
  }
}

/** Orders two stream ids (`ms-seq`). */
export const compareIds = (a: string, b: string): number => {
  const [am = 0, as = 0] = a.split('-').map(Number)
  const [bm = 0, bs = 0] = b.split('-').map(Number)
  return am - bm || as - bs
}

// The bench's hand in one peer's namespace (link-fanout): signed in to that `narvaro peer` as its
// person (the CLI's saved token), it watches everyone the peer shows, publishes numbered notes when
// told, and times each note of another peer from its publication to its arrival here (one monotonic
// clock for every process of the machine). Commands and answers are JSON lines on stdin/stdout;
// bench support.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { createInterface } from 'node:readline'
import { NarvaroLive } from '@narvaro/sdk'
import { WebSocket } from 'ws'
import { nowMs, sleep } from './clock.js'
import { Histogram } from './histogram.js'

const [origin] = process.argv.slice(2)
const credentials = JSON.parse(
  readFileSync(join(process.env.NARVARO_CONFIG_DIR ?? '', 'credentials.json'), 'utf8'),
)
const live = new NarvaroLive({
  baseUrl: credentials.server,
  token: credentials.token,
  WebSocket,
  transport: 'websocket',
})

const notePattern = /^b (\d+) (\d+) (\d+) (\d+)$/

/** The notes timed so far. */
const arrived = new Set()
const histogram = new Histogram()
let received = 0
let bytes = 0

const take = ({ address, view }) => {
  if (address === credentials.address) return
  bytes += JSON.stringify(view).length
  const match = notePattern.exec(view.note?.text ?? '')
  if (!match || match[1] === origin) return
  // The first arrival of each note counts (the link's record and the direct channel both bring it).
  const key = `${match[1]} ${match[2]} ${match[3]}`
  if (arrived.has(key)) return
  arrived.add(key)
  received++
  histogram.record(nowMs() - Number(match[4]) / 1000)
}
live.on('snapshot', take)
live.on('change', take)

const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)

const publishAll = async ({ phase, count, intervalMs }) => {
  const start = nowMs()
  for (let seq = 0; seq < count; seq++) {
    const wait = start + seq * intervalMs - nowMs()
    if (wait > 0) await sleep(wait)
    // The publication time in whole microseconds of the bench's one clock.
    const text = `b ${origin} ${phase} ${seq} ${Math.round(nowMs() * 1000)}`
    await live.publish({ source: 'bench', availability: 'available', note: { text } })
  }
  return { sent: count }
}

const commands = {
  publish: publishAll,
  /** What arrived so far. */
  progress: async () => ({ received, bytes, histogram: histogram.toJSON() }),
}

await live.connect()
await live.subscribe()
reply({ ready: true })
for await (const line of createInterface({ input: process.stdin })) {
  const { id, command, args } = JSON.parse(line)
  try {
    reply({ id, ...(await commands[command](args ?? {})) })
  } catch (error) {
    reply({ id, error: String(error?.message ?? error) })
  }
}
live.close()

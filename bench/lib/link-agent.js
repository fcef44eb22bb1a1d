// The bench's hand in one peer's namespace (link-fanout): signed in to that `narvaro peer` as its
// person (the CLI's saved token), it watches everyone the peer shows, publishes numbered notes when
// told, and times each note of another peer from its publication to its arrival here (one monotonic
// clock for every process of the machine). Commands and answers are JSON lines on stdin/stdout;
// bench support.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { createInterface } from 'node:readline'
import { NarvaroLive } from '@narvaro/sdk'
import { WebSocket } from 'ws'
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

const nowUs = () => Number(process.hrtime.bigint() / 1000n)
const notePattern = /^b (\d+) (\d+) (\d+) (\d+)$/

/** Who is shown available (address → the last note), and the notes timed so far. */
const present = new Map()
const arrived = new Set()
const histogram = new Histogram()
let received = 0
let bytes = 0

const take = ({ address, view }) => {
  if (address === credentials.address) return
  bytes += JSON.stringify(view).length
  if (view.availability === 'offline') return void present.delete(address)
  const text = view.note?.text ?? ''
  present.set(address, text)
  const match = notePattern.exec(text)
  if (!match || match[1] === origin) return
  // The first arrival of each note counts (the link's record and the direct channel both bring it).
  const key = `${match[1]} ${match[2]} ${match[3]}`
  if (arrived.has(key)) return
  arrived.add(key)
  received++
  histogram.record((nowUs() - Number(match[4])) / 1000)
}
live.on('snapshot', take)
live.on('change', take)

const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)

const publishAll = async ({ phase, count, intervalMs }) => {
  const start = nowUs()
  for (let seq = 0; seq < count; seq++) {
    const due = start + seq * intervalMs * 1000
    const wait = (due - nowUs()) / 1000
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const text = `b ${origin} ${phase} ${seq} ${nowUs()}`
    await live.publish({ source: 'bench', availability: 'available', note: { text } })
  }
  return { sent: count }
}

const commands = {
  /** Who this peer shows available now. */
  seen: async () => ({ seen: present.size }),
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

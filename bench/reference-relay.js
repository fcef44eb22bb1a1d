#!/usr/bin/env node
// The reference relay of the bench: the least a presence relay on this stack (Node + `ws`) can do
// for the bench's protocol subset of narvaro.v1 (welcome, subscribe → ack + snapshots, publish →
// ack, change), with no storage, no authentication and no policy. Each change is serialized once
// and the same bytes go to every watcher; sockets are corked for the rest of the event-loop turn.
// Its figures are the ceiling Närvaro is compared with (docs/performance.md).
import { randomUUID } from 'node:crypto'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import process from 'node:process'
import { setImmediate } from 'node:timers'
import { WebSocketServer } from 'ws'

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 7451)
const epoch = randomUUID().slice(0, 8)
let cursor = 0
/** address → { seq, json } (the current view, serialized) */
const presences = new Map()
/** address → the sockets watching it */
const watchers = new Map()

/** The bench names its users `u<n>@domain` and "User <n>", as Närvaro's profiles hold them. */
const displayNameOf = (address) => `User ${address.slice(1, address.indexOf('@'))}`

const presenceOf = (address) => {
  let presence = presences.get(address)
  if (!presence) {
    presence = {
      seq: 0,
      json: JSON.stringify({
        address,
        displayName: displayNameOf(address),
        availability: 'offline',
      }),
    }
    presences.set(address, presence)
  }
  return presence
}

const corked = new Set()
const uncorkAll = () => {
  for (const socket of corked) socket.uncork()
  corked.clear()
}

/** Sends without a copy; the socket stays corked until the end of this event-loop turn. */
const send = (ws, data) => {
  if (ws.readyState !== ws.OPEN) return
  const socket = ws._socket
  if (!corked.has(socket)) {
    if (corked.size === 0) setImmediate(uncorkAll)
    socket.cork()
    corked.add(socket)
  }
  ws.send(data, { binary: false })
}

const reply = (ws, body) => send(ws, JSON.stringify(body))

const subscribe = (ws, watched, message) => {
  const addresses = (message.addresses ?? []).map((a) => String(a).toLowerCase())
  reply(ws, {
    type: 'ack',
    ...(message.id ? { id: message.id } : {}),
    subscribed: addresses,
    failed: [],
  })
  for (const address of addresses) {
    if (!watchers.has(address)) watchers.set(address, new Set())
    watchers.get(address).add(ws)
    watched.add(address)
    const { json } = presenceOf(address)
    send(
      ws,
      `{"type":"snapshot","address":${JSON.stringify(address)},"seq":${cursor},"view":${json}}`,
    )
  }
}

const publish = (ws, address, message) => {
  const presence = presenceOf(address)
  const view = {
    address,
    displayName: displayNameOf(address),
    availability: message.availability ?? 'available',
    activities: message.activities ?? [],
    ...(message.note ? { note: message.note } : {}),
    timeZone: 'UTC',
    devices: [],
  }
  const json = JSON.stringify(view)
  const outcome = json === presence.json ? 'unchanged' : 'changed'
  if (outcome === 'changed') {
    presence.seq = ++cursor
    presence.json = json
    const bytes = Buffer.from(
      `{"type":"change","address":${JSON.stringify(address)},"seq":${cursor},"view":${json}}`,
    )
    for (const watcher of watchers.get(address) ?? []) send(watcher, bytes)
  }
  reply(ws, { type: 'ack', ...(message.id ? { id: message.id } : {}), outcome })
}

const onMessage = (ws, address, watched, data) => {
  let message
  try {
    message = JSON.parse(data.toString())
  } catch {
    return reply(ws, { type: 'error', code: 'NRV_VALIDATION', message: 'not JSON' })
  }
  switch (message.type) {
    case 'subscribe':
      return subscribe(ws, watched, message)
    case 'publish':
      return publish(ws, address, message)
    case 'unsubscribe':
      for (const a of message.addresses ?? []) {
        watchers.get(a)?.delete(ws)
        watched.delete(a)
      }
      return reply(ws, { type: 'ack', ...(message.id ? { id: message.id } : {}) })
    case 'ping':
      return reply(ws, { type: 'pong', ...(message.id ? { id: message.id } : {}) })
    default:
      return reply(ws, { type: 'error', code: 'NRV_UNKNOWN_MESSAGE', message: 'unknown type' })
  }
}

const server = createServer((_request, response) => response.writeHead(404).end())
const wss = new WebSocketServer({
  server,
  path: '/v1/ws',
  perMessageDeflate: false,
  maxPayload: 65_536,
})
wss.on('connection', (ws, request) => {
  const address =
    new URL(request.url ?? '/', 'http://relay').searchParams.get('as') ?? 'anonymous@relay'
  const watched = new Set()
  reply(ws, {
    type: 'welcome',
    protocol: 'narvaro.v1',
    session: randomUUID(),
    address,
    epoch,
    heartbeatMs: 30_000,
  })
  ws.on('message', (data) => onMessage(ws, address, watched, data))
  ws.on('error', () => ws.terminate())
  ws.on('close', () => {
    for (const a of watched) watchers.get(a)?.delete(ws)
  })
})
server.listen({ port, host: '127.0.0.1', backlog: 65_535 }, () => {
  process.stdout.write(`reference relay listening on http://127.0.0.1:${server.address().port}\n`)
})
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate()
  server.close(() => process.exit(0))
})

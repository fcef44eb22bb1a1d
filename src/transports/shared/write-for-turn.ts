// Writes what one event-loop turn sends to a socket at the end of the turn, for every transport
// (WebSocket frames, XMPP stanzas, SIP messages). A socket that gets one chunk in a turn (most of
// them at a paced rate) gets one plain write of it, with no cork bookkeeping; one that gets a second
// chunk is corked from then on, so the turn's chunks leave in one writev without being copied (a
// burst, a fan-out of many notifications to one connection); transport layer.
import type { Socket } from 'node:net'
import { setImmediate } from 'node:timers'

type Chunk = string | Buffer

/**
 * What a socket holds for this turn, on the socket itself: the one chunk held, or `corked` once
 * there were more. (A Map of sockets, emptied every turn, grew its table again every turn: a tenth
 * of what a paced fan-out allocated.)
 */
const held = Symbol('narvaro.heldForTurn')
const corked = 'corked'
type Holding = Socket & { [held]?: Chunk | typeof corked | undefined }

/**
 * The sockets holding something this turn, in the order they began to (`count` of them); a second
 * list takes those that begin while the first is written out (a close handler writing elsewhere).
 */
let queue: (Holding | undefined)[] = []
let spare: (Holding | undefined)[] = []
let count = 0

const writeOut = (socket: Socket, queued: Chunk | typeof corked): void => {
  if (queued === corked) socket.uncork()
  // A socket that ended or broke in the meantime takes nothing more (its close says why).
  else if (socket.writable) socket.write(queued)
}

const writeAll = (): void => {
  const writing = queue
  const n = count
  queue = spare
  spare = writing
  count = 0
  for (let i = 0; i < n; i++) {
    const socket = writing[i]!
    writing[i] = undefined
    const queued = socket[held]
    if (queued === undefined) continue
    socket[held] = undefined
    writeOut(socket, queued)
  }
}

/** Starts holding for `socket` this turn (it holds nothing yet). */
const enqueue = (socket: Holding, holding: Chunk | typeof corked): void => {
  if (count === 0) setImmediate(writeAll)
  queue[count++] = socket
  socket[held] = holding
}

/** Sends `chunk` on `socket` with the rest of this turn's chunks for it, at the end of the turn. */
export const writeForTurn = (socket: Socket, chunk: Chunk): void => {
  const holding = socket as Holding
  const queued = holding[held]
  if (queued === undefined) return enqueue(holding, chunk)
  if (queued !== corked) {
    socket.cork()
    socket.write(queued)
    holding[held] = corked
  }
  socket.write(chunk)
}

/**
 * Holds everything written to `socket` from now on (by this module or by a library writing to it
 * directly, as `ws` writes its handshake's response) until the end of this turn, to leave in one
 * writev: an upgrade's response and the session's first message.
 */
export const holdForTurn = (socket: Socket): void => {
  const holding = socket as Holding
  const queued = holding[held]
  if (queued === corked) return
  socket.cork()
  if (queued === undefined) return enqueue(holding, corked)
  socket.write(queued)
  holding[held] = corked
}

/** Bytes held for `socket` and not yet handed to it (corked writes it counts itself). */
export const queuedBytes = (socket: Socket): number => {
  const queued = (socket as Holding)[held]
  return queued === undefined || queued === corked ? 0 : Buffer.byteLength(queued)
}

/**
 * Writes what waits for `socket` now: before anything that must follow it (a close frame) or that
 * changes who the bytes go to (STARTTLS).
 */
export const writeNow = (socket: Socket): void => {
  const holding = socket as Holding
  const queued = holding[held]
  if (queued === undefined) return
  holding[held] = undefined
  writeOut(socket, queued)
}

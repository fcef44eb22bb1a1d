// Writes what one event-loop turn sends to a socket at the end of the turn, for every transport
// (WebSocket frames, XMPP stanzas, SIP messages). A socket that gets one chunk in a turn (most of
// them at a paced rate) gets one plain write of it, with no cork bookkeeping. Several byte chunks
// (a burst: many notifications to one connection) are copied at the turn's end into one buffer and
// leave in one write when the socket has written all before (joined-frames), or as soon as they
// fill one such write; several text chunks (XMPP, SIP) are corked and leave in one writev;
// transport layer.
import type { Socket } from 'node:net'
import { setImmediate } from 'node:timers'
import {
  backlogBytes,
  flushBacklog,
  Frames,
  framesOf,
  handOver,
  sendFrame,
  sendFrames,
} from './joined-frames.js'

type Chunk = string | Buffer

/**
 * What a socket holds for this turn, on the socket itself: the one chunk held, the byte chunks held
 * once there were more, or `corked` once there were more text chunks or a library writes to it
 * directly. (A Map of sockets, emptied every turn, grew its table again every turn: a tenth of what
 * a paced fan-out allocated.)
 */
const held = Symbol('narvaro.heldForTurn')
const corked = 'corked'
type Held = Chunk | Frames | typeof corked
type Holding = Socket & { [held]?: Held | undefined }

/**
 * The sockets holding something this turn, in the order they began to (`count` of them); a second
 * list takes those that begin while the first is written out (a close handler writing elsewhere).
 */
let queue: (Holding | undefined)[] = []
let spare: (Holding | undefined)[] = []
let count = 0

const writeOut = (socket: Socket, queued: Held): void => {
  if (queued === corked) socket.uncork()
  // A socket that ended or broke in the meantime takes nothing more (its close says why).
  else if (!socket.writable) return
  else if (queued instanceof Frames) sendFrames(socket, queued)
  else if (typeof queued === 'string') socket.write(queued)
  else sendFrame(socket, queued)
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
const enqueue = (socket: Holding, holding: Held): void => {
  if (count === 0) setImmediate(writeAll)
  queue[count++] = socket
  socket[held] = holding
}

/** Corks `socket` and hands it what it holds, so that what is written next stays after it. */
const cork = (socket: Holding, queued: Chunk | Frames): void => {
  flushBacklog(socket)
  socket.cork()
  if (queued instanceof Frames) queued.each((frame) => socket.write(frame))
  else socket.write(queued)
  socket[held] = corked
}

/** Sends `chunk` on `socket` with the rest of this turn's chunks for it, at the end of the turn. */
export const writeForTurn = (socket: Socket, chunk: Chunk): void => {
  const holding = socket as Holding
  const queued = holding[held]
  if (queued === undefined) return enqueue(holding, chunk)
  if (queued === corked) return void socket.write(chunk)
  if (typeof chunk !== 'string') {
    if (queued instanceof Frames) {
      if (queued.fits(chunk)) return queued.add(chunk)
      // A full joined write leaves now: a burst read in one turn (thousands of publications) would
      // otherwise hold every notification of the turn until its end, long enough for the young
      // generation's collections to copy them all.
      holding[held] = framesOf(chunk)
      return writeOut(socket, queued)
    }
    if (typeof queued !== 'string') return void (holding[held] = framesOf(queued, chunk))
  }
  cork(holding, queued)
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
  if (queued !== undefined) return cork(holding, queued)
  socket.cork()
  enqueue(holding, corked)
}

/** Bytes held for `socket` and not yet handed to it (corked writes it counts itself). */
export const queuedBytes = (socket: Socket): number => {
  const queued = (socket as Holding)[held]
  const behind = backlogBytes(socket)
  if (queued === undefined || queued === corked) return behind
  return behind + (queued instanceof Frames ? queued.bytes : Buffer.byteLength(queued))
}

/**
 * Writes what waits for `socket` now: before anything that must follow it (a close frame) or that
 * changes who the bytes go to (STARTTLS).
 */
export const writeNow = (socket: Socket): void => {
  const holding = socket as Holding
  const queued = holding[held]
  flushBacklog(socket)
  if (queued === undefined) return
  holding[held] = undefined
  if (queued instanceof Frames) handOver(socket, queued)
  else writeOut(socket, queued)
}

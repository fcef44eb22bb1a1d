// Writes what one event-loop turn sends to a socket at the end of the turn, for every transport
// (WebSocket frames, XMPP stanzas, SIP messages). A socket that gets one chunk in a turn (most of
// them at a paced rate) gets one plain write of it, with no cork bookkeeping; one that gets a second
// chunk is corked from then on, so the turn's chunks leave in one writev without being copied (a
// burst, a fan-out of many notifications to one connection); transport layer.
import type { Socket } from 'node:net'
import { setImmediate } from 'node:timers'

type Chunk = string | Buffer

/** Per socket this turn: the one chunk held, or `corked` once there were more. */
const pending = new Map<Socket, Chunk | 'corked'>()

const writeOut = (socket: Socket, queued: Chunk | 'corked'): void => {
  if (queued === 'corked') socket.uncork()
  // A socket that ended or broke in the meantime takes nothing more (its close says why).
  else if (socket.writable) socket.write(queued)
}

const writeAll = (): void => {
  for (const [socket, queued] of pending) writeOut(socket, queued)
  pending.clear()
}

/** Sends `chunk` on `socket` with the rest of this turn's chunks for it, at the end of the turn. */
export const writeForTurn = (socket: Socket, chunk: Chunk): void => {
  const queued = pending.get(socket)
  if (queued === undefined) {
    if (pending.size === 0) setImmediate(writeAll)
    pending.set(socket, chunk)
    return
  }
  if (queued !== 'corked') {
    socket.cork()
    socket.write(queued)
    pending.set(socket, 'corked')
  }
  socket.write(chunk)
}

/**
 * Holds everything written to `socket` from now on (by this module or by a library writing to it
 * directly, as `ws` writes its handshake's response) until the end of this turn, to leave in one
 * writev: an upgrade's response and the session's first message.
 */
export const holdForTurn = (socket: Socket): void => {
  const queued = pending.get(socket)
  if (queued === 'corked') return
  if (pending.size === 0) setImmediate(writeAll)
  socket.cork()
  if (queued !== undefined) socket.write(queued)
  pending.set(socket, 'corked')
}

/** Bytes held for `socket` and not yet handed to it (corked writes it counts itself). */
export const queuedBytes = (socket: Socket): number => {
  const queued = pending.get(socket)
  return queued === undefined || queued === 'corked' ? 0 : Buffer.byteLength(queued)
}

/**
 * Writes what waits for `socket` now: before anything that must follow it (a close frame) or that
 * changes who the bytes go to (STARTTLS).
 */
export const writeNow = (socket: Socket): void => {
  const queued = pending.get(socket)
  if (queued === undefined) return
  pending.delete(socket)
  writeOut(socket, queued)
}

// Writes what one event-loop turn sends to a socket at the end of the turn. A socket that gets one
// frame in a turn (most of them at a paced rate) gets one plain write of it, with no cork
// bookkeeping; one that gets a second frame is corked from then on, so the turn's frames leave in
// one writev without being copied (a burst); transport layer.
import type { Socket } from 'node:net'
import { setImmediate } from 'node:timers'

/** Per socket this turn: the one frame held, or `corked` once there were more. */
const pending = new Map<Socket, Buffer | 'corked'>()

const writeOut = (socket: Socket, queued: Buffer | 'corked'): void => {
  if (queued === 'corked') socket.uncork()
  // A socket that ended or broke in the meantime takes nothing more (its close says why).
  else if (socket.writable) socket.write(queued)
}

const writeAll = (): void => {
  for (const [socket, queued] of pending) writeOut(socket, queued)
  pending.clear()
}

/** Sends `frame` on `socket` with the rest of this turn's frames for it, at the end of the turn. */
export const writeForTurn = (socket: Socket, frame: Buffer): void => {
  const queued = pending.get(socket)
  if (queued === undefined) {
    if (pending.size === 0) setImmediate(writeAll)
    pending.set(socket, frame)
    return
  }
  if (queued !== 'corked') {
    socket.cork()
    socket.write(queued)
    pending.set(socket, 'corked')
  }
  socket.write(frame)
}

/** Bytes held for `socket` and not yet handed to it (corked writes it counts itself). */
export const queuedBytes = (socket: Socket): number => {
  const queued = pending.get(socket)
  return queued === undefined || queued === 'corked' ? 0 : queued.length
}

/** Writes what waits for `socket` now: before anything that must follow it (a close frame). */
export const writeNow = (socket: Socket): void => {
  const queued = pending.get(socket)
  if (queued === undefined) return
  pending.delete(socket)
  writeOut(socket, queued)
}

// Corks a socket for the rest of the event-loop turn, so that all a turn sends to one connection
// (many watchers' notifications in a burst) leaves in one writev instead of one write call each;
// shared by the WebSocket and XMPP transports; transport layer.
import type { Socket } from 'node:net'
import { setImmediate } from 'node:timers'

const corked = new Set<Socket>()

const uncorkAll = (): void => {
  for (const socket of corked) socket.uncork()
  corked.clear()
}

/** Corks `socket` until the end of this event-loop turn (once per turn, however many writes). */
export const corkForTurn = (socket: Socket): void => {
  if (corked.has(socket)) return
  if (corked.size === 0) setImmediate(uncorkAll)
  socket.cork()
  corked.add(socket)
}

/** Writes out now what this turn corked on `socket` (before its bytes change hands, as at STARTTLS). */
export const uncorkNow = (socket: Socket): void => {
  if (corked.delete(socket)) socket.uncork()
}

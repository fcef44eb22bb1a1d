// Writes server messages to a WebSocket's socket with the least work per notification: each message
// is framed once (RFC 6455 §5.2: one unmasked text frame) and the same bytes go to every watcher of
// that view (a turn's frames leave together: transports/shared/write-for-turn); transport layer.

/** The last message framed: the hub hands the same string to every watcher of a view in a row. */
let lastText: string | undefined
let lastFrame: Buffer = Buffer.alloc(0)

/**
 * Frames of the snapshots framed lately, which come back out of a row: a group's snapshot, shared by
 * the sessions that join it one after another while each joins others in between (a reconnect).
 * Only snapshots: a change is framed once for its watchers in a row, and keeping every change's
 * frame and text would only make more of the heap outlive the young generation.
 */
const recent = new Map<string, Buffer>()
const maxRecent = 1024
/** Longer messages are framed each time, never kept. */
const maxRecentLength = 4096
const snapshotPrefix = '{"type":"snapshot"'

const kept = (text: string): boolean =>
  text.length <= maxRecentLength && text.startsWith(snapshotPrefix)

/** A ping with no payload (RFC 6455 §5.5.2), the same bytes for every connection. */
export const pingFrame: Buffer = Buffer.from([0x89, 0x00])

/** One FIN text frame carrying `text`, unmasked (a server's frames are never masked). */
export const textFrame = (text: string): Buffer => {
  if (text === lastText) return lastFrame
  const keep = kept(text)
  let frame = keep ? recent.get(text) : undefined
  if (!frame) {
    frame = frameOf(text)
    if (keep) {
      if (recent.size >= maxRecent) recent.clear()
      recent.set(text, frame)
    }
  }
  lastText = text
  lastFrame = frame
  return frame
}

const frameOf = (text: string): Buffer => {
  const length = Buffer.byteLength(text)
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(header + length)
  frame[0] = 0x81 // FIN, opcode 1 (text)
  if (header === 2) frame[1] = length
  else if (header === 4) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  frame.write(text, header, 'utf8')
  return frame
}

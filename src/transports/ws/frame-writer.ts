// Writes server messages to a WebSocket's socket with the least work per notification: each message
// is framed once (RFC 6455 §5.2: one unmasked text frame) and the same bytes go to every watcher of
// that view (a turn's frames leave together: transports/shared/write-for-turn); transport layer.

/** The last message framed: the hub hands the same string to every watcher of a view in a row. */
let lastText: string | undefined
let lastFrame: Buffer = Buffer.alloc(0)

/** One FIN text frame carrying `text`, unmasked (a server's frames are never masked). */
export const textFrame = (text: string): Buffer => {
  if (text === lastText) return lastFrame
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
  lastText = text
  lastFrame = frame
  return frame
}

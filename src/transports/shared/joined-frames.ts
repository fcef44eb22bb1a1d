// Byte chunks (WebSocket frames) for one socket, written as few buffers as the kernel takes them: a
// turn's chunks are copied into one slice of a block that the next socket uses again once the kernel
// has taken the write whole; a socket whose reader is behind keeps its chunks here, as references,
// until its last write is done, then they leave the same way. So a burst makes one write per socket
// and turn (or per drain) instead of Node's per-write objects for every frame, and copies nothing
// outside the heap that would outlive the write; transport layer.
import type { Socket } from 'node:net'

/**
 * Byte chunks in order, taken from the head. Lists are used again, so a burst does not grow a new
 * array for every socket in every turn.
 */
export class Frames {
  private readonly list: (Buffer | undefined)[] = []
  private head = 0
  private end = 0
  bytes = 0

  add(frame: Buffer): void {
    this.list[this.end++] = frame
    this.bytes += frame.length
  }

  /** Takes every chunk of `other`, after its own, and lets `other` go. */
  addAll(other: Frames): void {
    other.each((frame) => this.add(frame))
  }

  get empty(): boolean {
    return this.head === this.end
  }

  /** The first chunk's length. */
  firstLength(): number {
    return this.list[this.head]!.length
  }

  /** Takes the first chunk. */
  shift(): Buffer {
    const frame = this.list[this.head]!
    this.list[this.head++] = undefined
    this.bytes -= frame.length
    return frame
  }

  /** Copies chunks from the head into `into` from `at` on while they fit before `limit`. */
  copyInto(into: Buffer, at: number, limit: number): number {
    const { list } = this
    for (
      let frame = list[this.head];
      frame && at + frame.length <= limit;
      frame = list[this.head]
    ) {
      into.set(frame, at)
      at += frame.length
      this.bytes -= frame.length
      list[this.head++] = undefined
    }
    return at
  }

  /** Hands each chunk to `write` in order, and is let go. */
  each(write: (frame: Buffer) => void): void {
    while (!this.empty) write(this.shift())
    this.release()
  }

  /** Empty: kept for another socket or turn. */
  release(): void {
    if (spare.length < maxSpare && this.end <= maxKeptLength) spare.push(this)
    for (let i = this.head; i < this.end; i++) this.list[i] = undefined
    this.head = 0
    this.end = 0
    this.bytes = 0
  }
}

/** Lists kept for the next turns: as many as sockets may be written at once, none very long. */
const spare: Frames[] = []
const maxSpare = 1024
const maxKeptLength = 64

/** A list holding `first` and, when given, `second`. */
export const framesOf = (first: Buffer, second?: Buffer): Frames => {
  const frames = spare.pop() ?? new Frames()
  frames.add(first)
  if (second) frames.add(second)
  return frames
}

/**
 * The shared block, used as a stack: a socket's chunks are copied in after the last ones, and when
 * the kernel takes the whole write at once (most writes), the room is used again by the next
 * socket. So a burst goes through the same few kilobytes instead of making buffers outside the heap
 * (whose growth brings on the old generation's collections). A write the kernel does not take at
 * once keeps its part of the block until the socket drains (a watcher that stopped reading holds at
 * most one part), and the next ones go on after it.
 */
const blockSize = 32 * 1024
/** The most one joined write carries; a larger chunk is written alone, as it is. */
const maxJoined = blockSize / 2
let block = Buffer.allocUnsafeSlow(0)
let used = 0

/** What a socket whose reader is behind keeps for when its writes are done. */
const backlog = Symbol('narvaro.backlog')
type Behind = Socket & { [backlog]?: Frames | undefined }
const nothing = Buffer.alloc(0)

/** Sends `frames` on `socket` after whatever it still keeps, and lets `frames` go. */
export const sendFrames = (socket: Socket, frames: Frames): void => {
  const waiting = (socket as Behind)[backlog]
  if (waiting) waiting.addAll(frames)
  else writeFrames(socket as Behind, frames)
}

/** Sends one chunk: as it is, unless the socket is behind (then it waits with the rest). */
export const sendFrame = (socket: Socket, frame: Buffer): void => {
  if ((socket as Behind)[backlog] === undefined && socket.writableLength === 0) socket.write(frame)
  else sendFrames(socket, framesOf(frame))
}

/** Bytes `socket` keeps because its reader is behind. */
export const backlogBytes = (socket: Socket): number => (socket as Behind)[backlog]?.bytes ?? 0

/** Hands `socket` what it keeps now, as it is (before a close frame). */
export const flushBacklog = (socket: Socket): void => {
  const behind = socket as Behind
  const frames = behind[backlog]
  if (!frames) return
  behind[backlog] = undefined
  socket.cork()
  frames.each((frame) => socket.write(frame))
  socket.uncork()
}

const writeFrames = (socket: Behind, frames: Frames): void => {
  while (!frames.empty) {
    if (socket.writableLength > 0) return waitFor(socket, frames)
    if (frames.firstLength() > maxJoined) {
      socket.write(frames.shift())
      continue
    }
    if (block.length - used < Math.min(frames.bytes, maxJoined)) {
      block = Buffer.allocUnsafeSlow(blockSize)
      used = 0
    }
    const start = used
    const into = block
    const end = frames.copyInto(into, start, Math.min(into.length, start + maxJoined))
    used = end
    socket.write(into.subarray(start, end))
    // Taken whole, and nothing written after it meanwhile: nothing refers to those bytes now.
    if (socket.writableLength === 0 && into === block && used === end) used = start
  }
  frames.release()
}

/** Keeps `frames` until what `socket` was given is written (an empty write's callback says when). */
const waitFor = (socket: Behind, frames: Frames): void => {
  socket[backlog] = frames
  socket.write(nothing, () => {
    const waiting = socket[backlog]
    if (!waiting) return
    socket[backlog] = undefined
    if (socket.writable) writeFrames(socket, waiting)
    else waiting.release()
  })
}

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

  get empty(): boolean {
    return this.head === this.end
  }

  /** Whether `frame` still goes into the same joined write as the chunks held (a turn holds no more). */
  fits(frame: Buffer): boolean {
    return this.bytes + frame.length <= maxJoined
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
/** Lists this long are kept: one joined write's worth of frames of 64 bytes or more. */
const maxKeptLength = 256

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

/**
 * What a socket whose reader is behind keeps for when its writes are done: each turn's list as it
 * came, not one list grown frame by frame. The coalescing outbox counts these bytes
 * (`queuedBytes`), so a reader that stays behind gets only each presentity's newest message.
 */
class Backlog {
  private readonly turns: Frames[] = []
  private first = 0
  /** Bytes kept, as of the last write. */
  bytes = 0

  constructor(frames: Frames) {
    this.push(frames)
  }

  push(frames: Frames): void {
    this.turns.push(frames)
    this.bytes += frames.bytes
  }

  /** The oldest turn not yet let go (it may have been written whole). */
  get oldest(): Frames | undefined {
    return this.turns[this.first]
  }

  /** The oldest turn is written: it is let go. */
  written(): void {
    this.turns[this.first++]!.release()
  }

  /** Counts what is left again after writing. */
  recount(): void {
    let bytes = 0
    for (let i = this.first; i < this.turns.length; i++) bytes += this.turns[i]!.bytes
    this.bytes = bytes
  }

  /** Hands every frame left to `write` in order, and lets the lists go. */
  each(write: (frame: Buffer) => void): void {
    for (let frames = this.oldest; frames; frames = this.oldest) {
      while (!frames.empty) write(frames.shift())
      this.written()
    }
  }
}

const backlog = Symbol('narvaro.backlog')
type Behind = Socket & { [backlog]?: Backlog | undefined }
const nothing = Buffer.alloc(0)

/** Sends `frames` on `socket` after whatever it still keeps, and lets `frames` go. */
export const sendFrames = (socket: Socket, frames: Frames): void => {
  const behind = socket as Behind
  const waiting = behind[backlog]
  if (waiting) return waiting.push(frames)
  if (writeWhileTaken(behind, frames)) return frames.release()
  waitFor(behind, new Backlog(frames))
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
  const waiting = behind[backlog]
  if (!waiting) return
  behind[backlog] = undefined
  handOver(socket, waiting)
}

/** Hands `socket` each frame of `kept` as it is, in one writev. */
export const handOver = (
  socket: Socket,
  kept: { each(write: (frame: Buffer) => void): void },
): void => {
  socket.cork()
  kept.each((frame) => socket.write(frame))
  socket.uncork()
}

/** Where `bytes` (at most `maxJoined`) go in the block: after what is used, or in a new block. */
const roomFor = (bytes: number): number => {
  if (block.length - used < bytes) {
    block = Buffer.allocUnsafeSlow(blockSize)
    used = 0
  }
  return used
}

/** How far the frames copied from `start` on may reach: one joined write's worth. */
const limitFrom = (start: number): number => Math.min(block.length, start + maxJoined)

/** Writes the block's bytes from `start` to `end`; their room is used again if taken whole. */
const writeSlice = (socket: Socket, start: number, end: number): void => {
  const into = block
  used = end
  socket.write(into.subarray(start, end))
  // Taken whole, and nothing written after it meanwhile: nothing refers to those bytes now.
  if (socket.writableLength === 0 && into === block && used === end) used = start
}

/**
 * Writes `frames` joined while the socket takes each write whole; false when it is still writing
 * (then `frames` keeps what is left).
 */
const writeWhileTaken = (socket: Socket, frames: Frames): boolean => {
  while (!frames.empty) {
    if (socket.writableLength > 0) return false
    if (frames.firstLength() > maxJoined) {
      socket.write(frames.shift())
      continue
    }
    const start = roomFor(Math.min(frames.bytes, maxJoined))
    writeSlice(socket, start, frames.copyInto(block, start, limitFrom(start)))
  }
  return true
}

/** Keeps `waiting` until what `socket` was given is written (an empty write's callback says when). */
const waitFor = (socket: Behind, waiting: Backlog): void => {
  socket[backlog] = waiting
  socket.write(nothing, () => {
    if (socket[backlog] !== waiting) return
    socket[backlog] = undefined
    if (!socket.writable || writeBacklog(socket, waiting)) return
    waiting.recount()
    waitFor(socket, waiting)
  })
}

/**
 * Writes what `waiting` keeps, the frames of several turns joined in one write, while the socket
 * takes each write whole; false when it is still writing (then `waiting` keeps what is left).
 */
const writeBacklog = (socket: Socket, waiting: Backlog): boolean => {
  for (let frames = waiting.oldest; frames; frames = waiting.oldest) {
    if (frames.empty) {
      waiting.written()
      continue
    }
    if (socket.writableLength > 0) return false
    if (frames.firstLength() > maxJoined) {
      socket.write(frames.shift())
      continue
    }
    const start = roomFor(maxJoined)
    const limit = limitFrom(start)
    let end = start
    for (let from = waiting.oldest; from; from = waiting.oldest) {
      end = from.copyInto(block, end, limit)
      if (!from.empty) break
      waiting.written()
    }
    writeSlice(socket, start, end)
  }
  return true
}

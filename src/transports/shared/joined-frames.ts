// A turn's byte chunks for one socket, copied at the turn's end into one buffer: a slice of one block
// that the next socket uses again once the kernel has taken it, so a burst makes one write and one
// buffer view per socket and turn instead of Node's per-write objects for every frame; transport
// layer.
import type { Socket } from 'node:net'

/**
 * The byte chunks one socket got in this turn, in order. Lists are used again from turn to turn, so
 * a burst does not grow a new array for every socket in every turn.
 */
export class Frames {
  private readonly list: (Buffer | undefined)[] = []
  private count = 0
  bytes = 0

  add(frame: Buffer): void {
    this.list[this.count++] = frame
    this.bytes += frame.length
  }

  /** Copies the chunks into `into` from `at` on, lets them go, and is kept for another turn. */
  copyInto(into: Buffer, at: number): number {
    const { list, count } = this
    for (let i = 0; i < count; i++) {
      const frame = list[i]!
      into.set(frame, at)
      at += frame.length
      list[i] = undefined
    }
    this.release()
    return at
  }

  /** Hands each chunk to `write` in order (a socket corked after all), and is kept for another turn. */
  each(write: (frame: Buffer) => void): void {
    const { list, count } = this
    for (let i = 0; i < count; i++) {
      write(list[i]!)
      list[i] = undefined
    }
    this.release()
  }

  private release(): void {
    if (spare.length < maxSpare && this.count <= maxKeptLength) spare.push(this)
    this.count = 0
    this.bytes = 0
  }
}

/** Lists kept for the next turns: as many as sockets may be written at once, none very long. */
const spare: Frames[] = []
const maxSpare = 1024
const maxKeptLength = 256

/** A list holding `first` and `second`. */
export const framesOf = (first: Buffer, second: Buffer): Frames => {
  const frames = spare.pop() ?? new Frames()
  frames.add(first)
  frames.add(second)
  return frames
}

/**
 * The shared block, used as a stack: a socket's turn is copied in after the last one, and when the
 * kernel takes the whole write at once (most writes), the room is used again by the next socket. So
 * a burst goes through the same few kilobytes instead of making new buffers outside the heap (whose
 * growth brings on the old generation's collections). A write the kernel does not take at once
 * keeps its part of the block until the socket drains (a watcher that stopped reading holds at most
 * one block), and the next turns go on after it.
 */
const blockSize = 32 * 1024
let block = Buffer.allocUnsafeSlow(0)
let used = 0

/**
 * Writes `frames` to `socket`, as one buffer when the socket has written all it was given before.
 * One still writing (its reader is behind), or a turn's output too large to share the block, is
 * corked and given each frame as it is: those bytes wait in Node's stream whatever is done, and
 * copying them would only make them again outside the heap (that growth brings on the old
 * generation's collections, as a burst to watchers who read slowly showed).
 */
export const writeJoined = (socket: Socket, frames: Frames): void => {
  if (socket.writableLength > 0 || frames.bytes > blockSize / 2) {
    socket.cork()
    frames.each((frame) => socket.write(frame))
    socket.uncork()
    return
  }
  const { bytes } = frames
  if (block.length - used < bytes) {
    block = Buffer.allocUnsafeSlow(blockSize)
    used = 0
  }
  const start = used
  const into = block
  const end = frames.copyInto(into, start)
  used = end
  socket.write(into.subarray(start, end))
  // Taken whole, and nothing else written after it meanwhile: nothing refers to those bytes now.
  if (socket.writableLength === 0 && into === block && used === end) used = start
}

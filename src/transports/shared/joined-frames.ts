// A turn's byte chunks for one socket, copied at the turn's end into one buffer: a slice of a block
// shared by the sockets written in that turn, so a burst makes one write and one buffer view per
// socket and turn instead of Node's per-write objects for every frame; transport layer.

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
 * The shared block. Small, because a write the kernel does not take at once holds its whole block
 * until the socket drains (a watcher that stopped reading holds at most one).
 */
const blockSize = 32 * 1024
let block = Buffer.allocUnsafeSlow(0)
let used = 0

/**
 * `frames` as one buffer. A socket still writing what it was given before (`behind`) gets a buffer
 * of its own, as does a turn's output too large to share a block: either may wait long.
 */
export const joined = (frames: Frames, behind: boolean): Buffer => {
  const { bytes } = frames
  if (behind || bytes > blockSize / 4) {
    const own = Buffer.allocUnsafe(bytes)
    frames.copyInto(own, 0)
    return own
  }
  if (block.length - used < bytes) {
    block = Buffer.allocUnsafeSlow(blockSize)
    used = 0
  }
  const start = used
  used = frames.copyInto(block, start)
  return block.subarray(start, used)
}

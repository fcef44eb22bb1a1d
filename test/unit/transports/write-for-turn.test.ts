// Unit (real loopback sockets): what a turn writes to each socket arrives whole and in order, whether
// one chunk or many, written directly by a library in between, or flushed early by `writeNow`.
import { once } from 'node:events'
import { createServer, connect, Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  holdForTurn,
  queuedBytes,
  writeForTurn,
  writeNow,
} from '../../../src/transports/shared/write-for-turn.js'

const open: (Server | Socket)[] = []
afterEach(() => {
  for (const s of open.splice(0)) {
    if (s instanceof Server) s.close()
    else s.destroy()
  }
})

/** `n` connected pairs: the server's socket to write to, and what its client received so far. */
const pairs = async (n: number) => {
  const accepted: Socket[] = []
  const server = createServer((socket) => accepted.push(socket))
  open.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const received: string[] = []
  const clients: Socket[] = []
  for (let i = 0; i < n; i++) {
    const client = connect(port, '127.0.0.1')
    open.push(client)
    clients.push(client)
    received.push('')
    client.on('data', (data: Buffer) => (received[i] += data.toString('utf8')))
    await once(client, 'connect')
  }
  while (accepted.length < n) await new Promise((resolve) => setImmediate(resolve))
  open.push(...accepted)
  return { sockets: accepted, received, clients }
}

/** Counts the writes made to `socket` from now on. */
const countWrites = (socket: Socket): { n: number } => {
  const counted = { n: 0 }
  const write = socket.write.bind(socket) as (chunk: Buffer | string) => boolean
  socket.write = ((chunk: Buffer | string) => (counted.n++, write(chunk))) as typeof socket.write
  return counted
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
}

describe('writing for the turn', () => {
  it("sends each socket's chunks of a turn in order, one or many, and holds them until the turn ends", async () => {
    const { sockets, received } = await pairs(3)
    writeForTurn(sockets[0]!, 'a')
    for (let i = 0; i < 50; i++) writeForTurn(sockets[1]!, `${i};`)
    writeForTurn(sockets[2]!, Buffer.from('x'))
    writeForTurn(sockets[2]!, 'y')
    expect(queuedBytes(sockets[0]!)).toBe(1)
    await until(() => received[1]!.length > 0 && received[2] === 'xy' && received[0] === 'a')
    expect(received).toEqual(['a', Array.from({ length: 50 }, (_, i) => `${i};`).join(''), 'xy'])
    expect(queuedBytes(sockets[0]!)).toBe(0)
    // The next turn starts afresh.
    writeForTurn(sockets[0]!, 'b')
    await until(() => received[0] === 'ab')
    expect(received[0]).toBe('ab')
  })

  it('keeps the order of what a library writes to a held socket, and of what writeNow flushes', async () => {
    const { sockets, received } = await pairs(2)
    holdForTurn(sockets[0]!)
    sockets[0]!.write('HTTP 101;')
    writeForTurn(sockets[0]!, 'welcome;')
    writeForTurn(sockets[1]!, '1;')
    writeNow(sockets[1]!)
    writeForTurn(sockets[1]!, '2;')
    writeForTurn(sockets[1]!, '3;')
    await until(() => received[0] === 'HTTP 101;welcome;' && received[1] === '1;2;3;')
    expect(received).toEqual(['HTTP 101;welcome;', '1;2;3;'])
  })

  it('writes nothing to a socket that ended before its turn was over', async () => {
    const { sockets, received } = await pairs(2)
    writeForTurn(sockets[0]!, 'lost')
    writeForTurn(sockets[1]!, 'kept')
    sockets[0]!.destroy()
    await until(() => received[1] === 'kept')
    expect(received).toEqual(['', 'kept'])
  })

  it('joins many byte chunks of a turn into one write per socket, in order, each socket its own bytes', async () => {
    const { sockets, received } = await pairs(3)
    const writes = sockets.map(countWrites)
    const frame = (i: number) => Buffer.from(`${i};`)
    for (let i = 0; i < 300; i++) for (const socket of sockets) writeForTurn(socket, frame(i))
    // A frame too large to join: the turn's others in one write, it alone after them.
    writeForTurn(sockets[2]!, Buffer.alloc(20_000, 'z'))
    const expected = Array.from({ length: 300 }, (_, i) => `${i};`).join('')
    expect(queuedBytes(sockets[0]!)).toBe(expected.length)
    await until(
      () =>
        received[0] === expected &&
        received[1] === expected &&
        received[2]!.length === expected.length + 20_000,
    )
    expect(received).toEqual([expected, expected, expected + 'z'.repeat(20_000)])
    expect(writes.map((w) => w.n)).toEqual([1, 1, 2])
    // The next turn's chunks do not overwrite what the last one wrote.
    for (let i = 0; i < 3; i++) writeForTurn(sockets[0]!, Buffer.from(`n${i};`))
    await until(() => received[0] === expected + 'n0;n1;n2;')
    expect(received[0]).toBe(expected + 'n0;n1;n2;')
  })

  it('writes a turn of many notifications as soon as each joined write is full, with no more writes', async () => {
    const { sockets, received } = await pairs(2)
    const writes = sockets.map(countWrites)
    // 200 frames of 243 bytes to each (a burst read in one turn): three joined writes of at most
    // 16 KiB each, the same as at the turn's end, but never more than one write's worth held.
    const frame = (i: number) => Buffer.from(`${String(i).padStart(3, '0')};`.padEnd(243, '.'))
    let most = 0
    for (let i = 0; i < 200; i++) {
      for (const socket of sockets) writeForTurn(socket, frame(i))
      most = Math.max(most, queuedBytes(sockets[0]!))
    }
    expect(most).toBeLessThanOrEqual(16 * 1024)
    const expected = Array.from({ length: 200 }, (_, i) => frame(i).toString()).join('')
    await until(() => received[0] === expected && received[1] === expected)
    expect(received).toEqual([expected, expected])
    expect(writes.map((w) => w.n)).toEqual([3, 3])
  })

  it('keeps the order when byte chunks are followed by text, a library write or writeNow', async () => {
    const { sockets, received } = await pairs(3)
    writeForTurn(sockets[0]!, Buffer.from('a;'))
    writeForTurn(sockets[0]!, Buffer.from('b;'))
    writeForTurn(sockets[0]!, 'c;')
    writeForTurn(sockets[0]!, Buffer.from('d;'))
    writeForTurn(sockets[1]!, Buffer.from('1;'))
    writeForTurn(sockets[1]!, Buffer.from('2;'))
    holdForTurn(sockets[1]!)
    sockets[1]!.write('lib;')
    writeForTurn(sockets[1]!, Buffer.from('3;'))
    writeForTurn(sockets[2]!, Buffer.from('x;'))
    writeForTurn(sockets[2]!, Buffer.from('y;'))
    writeNow(sockets[2]!)
    expect(queuedBytes(sockets[2]!)).toBe(0)
    writeForTurn(sockets[2]!, Buffer.from('close;'))
    await until(
      () =>
        received[0] === 'a;b;c;d;' && received[1] === '1;2;lib;3;' && received[2] === 'x;y;close;',
    )
    expect(received).toEqual(['a;b;c;d;', '1;2;lib;3;', 'x;y;close;'])
  })

  it('keeps the frames of a socket whose reader is behind until its writes are done, then writes them joined', async () => {
    const { sockets, received, clients } = await pairs(2)
    const [slow, fast] = sockets as [Socket, Socket]
    clients[0]!.pause()
    // Fill the slow one's kernel buffers so that Node holds what follows.
    const big = Buffer.alloc(8 * 1024 * 1024, 'b')
    slow.write(big)
    expect(slow.writableLength).toBeGreaterThan(0)
    let writes = 0
    const write = slow.write.bind(slow) as (chunk: Buffer, cb?: () => void) => boolean
    slow.write = ((chunk: Buffer, cb?: () => void) => (
      writes++,
      write(chunk, cb)
    )) as typeof slow.write
    let expected = ''
    for (let turn = 0; turn < 20; turn++) {
      for (let i = 0; i < 5; i++) {
        writeForTurn(slow, Buffer.from(`${turn}.${i};`))
        writeForTurn(fast, Buffer.from(`${turn}.${i};`))
        expected += `${turn}.${i};`
      }
      // A turn of one frame waits with the rest too.
      if (turn === 10) {
        await new Promise((resolve) => setImmediate(resolve))
        writeForTurn(slow, Buffer.from('one;'))
        writeForTurn(fast, Buffer.from('one;'))
        expected += 'one;'
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Held here as references, counted as queued, and not one write each.
    expect(queuedBytes(slow)).toBe(expected.length)
    expect(writes).toBeLessThanOrEqual(1)
    await until(() => received[1] === expected)
    expect(received[1]).toBe(expected)
    clients[0]!.resume()
    await until(() => received[0]!.length === big.length + expected.length)
    expect(received[0]!.slice(big.length)).toBe(expected)
    expect(queuedBytes(slow)).toBe(0)
    expect(writes).toBeLessThanOrEqual(3)
    // Caught up: the next turn is written at once.
    writeForTurn(slow, Buffer.from('next;'))
    writeForTurn(slow, Buffer.from('last;'))
    await until(() => received[0]!.endsWith('next;last;'))
    expect(received[0]!.slice(big.length)).toBe(expected + 'next;last;')
  })

  it('writes what a socket behind keeps before what writeNow flushes (a close frame after)', async () => {
    const { sockets, received, clients } = await pairs(1)
    const socket = sockets[0]!
    clients[0]!.pause()
    const big = Buffer.alloc(8 * 1024 * 1024, 'b')
    socket.write(big)
    writeForTurn(socket, Buffer.from('1;'))
    writeForTurn(socket, Buffer.from('2;'))
    await new Promise((resolve) => setImmediate(resolve))
    writeForTurn(socket, Buffer.from('3;'))
    writeForTurn(socket, Buffer.from('4;'))
    writeNow(socket)
    socket.write('close;')
    expect(queuedBytes(socket)).toBe(0)
    clients[0]!.resume()
    await until(() => received[0]!.length === big.length + 14)
    expect(received[0]!.slice(big.length)).toBe('1;2;3;4;close;')
  })

  it('never writes over a joined turn that a stalled socket still holds', async () => {
    const { sockets, received, clients } = await pairs(2)
    const [stalled, other] = sockets as [Socket, Socket]
    clients[0]!.pause()
    let sent = ''
    // Turns of two frames each until the kernel takes no more and Node holds a joined turn.
    for (let turn = 0; stalled.writableLength === 0 && turn < 100_000; turn++) {
      const text = `${turn}`.padEnd(1_000, '.') + ';'
      writeForTurn(stalled, Buffer.from(text.slice(0, 500)))
      writeForTurn(stalled, Buffer.from(text.slice(500)))
      sent += text
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(stalled.writableLength).toBeGreaterThan(0)
    // Many turns of others' frames, through the shared blocks.
    let others = ''
    for (let turn = 0; turn < 200; turn++) {
      writeForTurn(other, Buffer.from(`o${turn};`.padEnd(600, '-')))
      writeForTurn(other, Buffer.from(`p${turn};`.padEnd(600, '+')))
      others += `o${turn};`.padEnd(600, '-') + `p${turn};`.padEnd(600, '+')
      await new Promise((resolve) => setImmediate(resolve))
    }
    clients[0]!.resume()
    await until(() => received[0]!.length === sent.length && received[1]!.length === others.length)
    expect(received[0] === sent).toBe(true)
    expect(received[1] === others).toBe(true)
  })

  it('never writes over what a socket draining its backlog has not had taken yet', async () => {
    /**
     * A stand-in for a socket whose kernel takes `room` more bytes: a write that fits is taken (its
     * bytes copied at once); one that does not stays pending, as a reference, until `take` makes
     * room, and only then are its bytes read. An empty write's callback waits for what is pending.
     */
    const stalling = (room: number) => {
      const got: string[] = []
      const pending: { chunk: Buffer; cb?: () => void }[] = []
      const socket = {
        writable: true,
        get writableLength() {
          return pending.reduce((n, p) => n + p.chunk.length, 0)
        },
        cork: () => undefined,
        uncork: () => undefined,
        write(chunk: Buffer | string, cb?: () => void) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
          if (pending.length === 0 && bytes.length <= room) {
            room -= bytes.length
            got.push(bytes.toString('latin1'))
            if (cb) queueMicrotask(cb)
          } else pending.push({ chunk: bytes, cb })
          return true
        },
        /** The reader makes `more` bytes of room: what was pending and fits is read now. */
        take(more: number) {
          room += more
          while (pending.length > 0 && pending[0]!.chunk.length <= room) {
            const { chunk, cb } = pending.shift()!
            room -= chunk.length
            got.push(chunk.toString('latin1'))
            cb?.()
          }
        },
        text: () => got.join(''),
      }
      return socket
    }
    const slow = stalling(0)
    const other = stalling(Number.POSITIVE_INFINITY)
    const turn = () => new Promise((resolve) => setImmediate(resolve))
    // The slow socket's first write waits: what follows is kept, turn by turn.
    let expected = ''
    for (let t = 0; t < 40; t++) {
      for (let i = 0; i < 3; i++) {
        const text = `${t}.${i};`.padEnd(1_000, String.fromCharCode(97 + ((t + i) % 26)))
        writeForTurn(slow as unknown as Socket, Buffer.from(text))
        expected += text
      }
      await turn()
    }
    // Room for a little more than one joined write: the backlog's second write stays pending.
    slow.take(20_000)
    await turn()
    expect(slow.writableLength).toBeGreaterThan(0)
    // Others go through the block meanwhile.
    let others = ''
    for (let t = 0; t < 100; t++) {
      const a = `o${t};`.padEnd(700, '-')
      const b = `p${t};`.padEnd(700, '+')
      writeForTurn(other as unknown as Socket, Buffer.from(a))
      writeForTurn(other as unknown as Socket, Buffer.from(b))
      others += a + b
      await turn()
    }
    for (let i = 0; i < 20 && slow.text().length < expected.length; i++) {
      slow.take(1_000_000)
      await turn()
    }
    expect(slow.text() === expected).toBe(true)
    expect(other.text() === others).toBe(true)
  })
})

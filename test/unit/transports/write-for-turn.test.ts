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
  for (let i = 0; i < n; i++) {
    const client = connect(port, '127.0.0.1')
    open.push(client)
    received.push('')
    client.on('data', (data: Buffer) => (received[i] += data.toString('utf8')))
    await once(client, 'connect')
  }
  while (accepted.length < n) await new Promise((resolve) => setImmediate(resolve))
  open.push(...accepted)
  return { sockets: accepted, received }
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
})

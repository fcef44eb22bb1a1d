// A TCP proxy in front of a test server, so a test can cut every connection (a dropped socket, as a
// network would) and refuse new ones for a while, or point it at another server; test support.
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  readonly url: string
  /** Cuts every open connection at once (the client sees 1006). */
  dropAll(): void
  /** While refusing, new connections are closed at once. */
  refuse(refusing: boolean): void
  /** Stops forwarding on every open connection, which stays open but silent (a dead network). */
  freezeAll(): void
  /** Forwards new connections to another server from now on. */
  retarget(url: string): void
  close(): Promise<void>
}

export const startProxy = async (targetUrl: string): Promise<TcpProxy> => {
  let target = new URL(targetUrl)
  let refusing = false
  const open = new Set<Socket>()
  const pairs: (readonly [Socket, Socket])[] = []
  const server: Server = createServer((client) => {
    if (refusing) return void client.destroy()
    const upstream = connect(Number(target.port), target.hostname)
    for (const socket of [client, upstream]) {
      open.add(socket)
      socket.on('close', () => open.delete(socket))
      socket.on('error', () => undefined)
    }
    client.pipe(upstream).pipe(client)
    pairs.push([client, upstream])
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    dropAll: () => {
      for (const socket of open) socket.destroy()
    },
    freezeAll: () => {
      for (const [client, upstream] of pairs.splice(0)) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
    },
    refuse: (value) => (refusing = value),
    retarget: (url) => (target = new URL(url)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

// Integration: the SDK REST client's time limit (`timeoutMs`) against servers that take a request and
// never answer it, or stop halfway through the reply, and against the real server, which answers.
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { NarvaroClient, NarvaroNetworkError } from '../../packages/sdk/src/index.js'
import { useServer } from '../support/harness-fixture.js'
import { addUsers, domain } from '../support/server-harness.js'

interface SilentServer {
  readonly url: string
  /** Resolves when a whole request head has arrived (the client is waiting for the answer). */
  readonly requested: Promise<void>
}

const servers: Server[] = []
const sockets: Socket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))))
})

/** A TCP server that reads each request and then writes `reply` (by default nothing) and stalls. */
const stallingServer = async (reply = ''): Promise<SilentServer> => {
  let requested!: () => void
  const request = new Promise<void>((resolve) => (requested = resolve))
  const server = createServer((socket) => {
    sockets.push(socket)
    let head = ''
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      if (reply) socket.write(reply)
      requested()
    })
  })
  servers.push(server)
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, requested: request }
}

const failureOf = async (call: Promise<unknown>): Promise<NarvaroNetworkError> => {
  const error = await call.then(
    () => new Error('the call was answered'),
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(NarvaroNetworkError)
  return error as NarvaroNetworkError
}

describe('the SDK REST client time limit', () => {
  const narvaro = useServer()

  it('ends a call the server never answers with a timeout error naming the limit', async () => {
    const silent = await stallingServer()
    const client = new NarvaroClient({ baseUrl: silent.url, token: 'nrv_x', timeoutMs: 300 })
    const started = performance.now()
    const error = await failureOf(client.me())
    const elapsed = performance.now() - started
    expect(error).toMatchObject({ reason: 'timeout', timeoutMs: 300 })
    expect(error.message).toBe('no answer within 300 ms')
    expect(elapsed).toBeGreaterThanOrEqual(280)
    expect(elapsed).toBeLessThan(5_000)
    await silent.requested
  })

  it('ends a reply that stops halfway through with the same timeout', async () => {
    const head = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n'
    const stalling = await stallingServer(head + '{"address":"amy@')
    const client = new NarvaroClient({ baseUrl: stalling.url, timeoutMs: 300 })
    const error = await failureOf(client.api.GET('/v1/me'))
    expect(error).toMatchObject({ reason: 'timeout', timeoutMs: 300 })
  })

  it("tells the caller's own abort apart from a timeout, with or without a limit", async () => {
    const silent = await stallingServer()
    for (const timeoutMs of [undefined, 60_000]) {
      const client = new NarvaroClient({ baseUrl: silent.url, ...(timeoutMs ? { timeoutMs } : {}) })
      const controller = new AbortController()
      const call = failureOf(client.api.GET('/v1/me', { signal: controller.signal }))
      await silent.requested
      controller.abort()
      expect(await call).toMatchObject({ reason: 'aborted', timeoutMs: undefined })
    }
  })

  it("reports a caller's AbortSignal.timeout as a timeout too", async () => {
    const silent = await stallingServer()
    const client = new NarvaroClient({ baseUrl: silent.url, timeoutMs: 60_000 })
    const error = await failureOf(
      client.importCsv('address\n', { signal: AbortSignal.timeout(200) }),
    )
    expect(error.reason).toBe('timeout')
    expect(error.timeoutMs).toBeUndefined()
  })

  it('keeps other failures apart: a refused connection is a connection failure', async () => {
    const silent = await stallingServer()
    const url = silent.url
    await new Promise((done) => servers.splice(0)[0]!.close(done))
    const client = new NarvaroClient({ baseUrl: url, timeoutMs: 5_000 })
    expect(await failureOf(client.me())).toMatchObject({ reason: 'connection' })
  })

  it('lets calls the real server answers in time go through', async () => {
    const { url } = await narvaro.start()
    const { tokens } = await addUsers(url, ['amy'])
    const amy = new NarvaroClient({ baseUrl: url, token: tokens['amy']!, timeoutMs: 5_000 })
    expect(amy.timeoutMs).toBe(5_000)
    await amy.setNote({ text: 'in Lund today' })
    const { data } = await amy.api.GET('/v1/me/presence')
    expect(data).toBeDefined()
    await expect(amy.presenceOf(`nobody@${domain}`)).rejects.toMatchObject({ status: 404 })
  })
})

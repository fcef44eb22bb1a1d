// A real webhook receiver for tests (an HTTP server on port 0 that records each delivery), and the
// Standard Webhooks signature check as a receiver writes it, apart from the server's code.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'

export interface Received {
  readonly headers: IncomingMessage['headers']
  readonly body: string
  readonly json: { type: string; timestamp: string; data: Record<string, unknown> }
  /** Set while the request is still open (not answered). */
  open: boolean
}

/** A webhook receiver on port 0; `answer` decides each status, or `undefined` to never answer. */
export const startReceiver = async (answer: (n: number) => number | undefined = () => 204) => {
  const received: Received[] = []
  const hanging: ServerResponse[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const entry: Received = {
        headers: request.headers,
        body,
        json: JSON.parse(body) as Received['json'],
        open: true,
      }
      received.push(entry)
      const status = answer(received.length)
      if (status === undefined) {
        hanging.push(response)
        response.on('close', () => (entry.open = false))
        return
      }
      entry.open = false
      response.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  const close = async () => {
    for (const response of hanging) response.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  return { url, received, close }
}

/** Verification as a receiver does it (Standard Webhooks), written apart from the server's code. */
export const verify = (secret: string, r: Received): boolean => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const signed = `${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('base64'))
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((s) => {
      const [version, mac] = s.split(',')
      return (
        version === 'v1' &&
        mac !== undefined &&
        mac.length === expected.length &&
        timingSafeEqual(Buffer.from(mac), expected)
      )
    })
}

/** Receivers started through it are closed after each test of the current `describe` (or file). */
export const useReceivers = (): typeof startReceiver => {
  const open: { close: () => Promise<void> }[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()))
  })
  return async (answer) => {
    const receiver = await startReceiver(answer)
    open.push(receiver)
    return receiver
  }
}

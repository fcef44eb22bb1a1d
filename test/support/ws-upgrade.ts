// Asks for a WebSocket upgrade and returns the HTTP reply that refused it (a test fails if it is
// upgraded): its status, headers and JSON body.
import { request as httpRequest } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'

export const upgradeReply = (url: string, path: string, token?: string) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Record<string, unknown> }>(
    (resolve, reject) => {
      const request = httpRequest(`${url}${path}`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      })
      request.on('upgrade', (_response, socket) => {
        socket.destroy()
        reject(new Error(`${path} was upgraded`))
      })
      request.on('response', (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        )
      })
      request.on('error', reject)
      request.end()
    },
  )

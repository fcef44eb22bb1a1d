// A sign-in request from a chosen loopback address (127.0.0.x), so that tests can be several
// clients of the server's per-client-address limits; test support.
import { request } from 'node:http'

export interface LoginReply {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly retryAfter?: string
}

export const loginFrom = (
  url: string,
  localAddress: string,
  body: { address: string; password: string },
): Promise<LoginReply> =>
  new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = request(
      `${url}/v1/auth/login`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
            ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(payload)
  })

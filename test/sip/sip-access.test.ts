// SIP subscriptions obey access like every live session: a new SIP password (set by the person or an
// admin) or removing the user ends them at once with `terminated;reason=rejected`; a polite-blocked
// watcher's phone gets an ordinary offline document. A member cannot set another's SIP password.
import { createHash } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addUsers,
  api,
  domain,
  eventually,
  startHarness,
  type Harness,
} from '../support/server-harness.js'

let harness: Harness
let tokens: Record<string, string>
let admin: string
const secret = 'phone-secret-for-bob-42'

beforeAll(async () => {
  harness = await startHarness({ env: { NARVARO_SIP_PORT: '0' } })
  ;({ tokens, admin } = await addUsers(harness.url, ['amy', 'bob', 'cid']))
})
afterAll(() => harness?.stop())

const md5 = (text: string) => createHash('md5').update(text).digest('hex')

/** A phone of `user` on UDP: sends SUBSCRIBE (answering the digest challenge) and keeps what comes. */
class Phone {
  readonly received: string[] = []
  private constructor(private readonly socket: Socket) {
    socket.on('message', (m) => {
      const text = m.toString()
      this.received.push(text)
      // Every NOTIFY gets its 200, as a phone does.
      if (text.startsWith('NOTIFY ')) socket.send(answer(text), this.port, '127.0.0.1')
    })
  }

  static async open(): Promise<Phone> {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    return new Phone(socket)
  }

  get port(): number {
    return harness.server.sip!.port
  }

  private send(text: string): void {
    this.socket.send(text, this.port, '127.0.0.1')
  }

  async subscribe(user: string, password: string, presentity: string): Promise<string> {
    const uri = `sip:${presentity}@${domain}`
    const head = (cseq: number, auth = '') =>
      [
        `SUBSCRIBE ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${this.socket.address().port};branch=z9hG4bK${cseq}`,
        `From: <sip:${user}@${domain}>;tag=${user}1`,
        `To: <${uri}>`,
        `Call-ID: call-${user}-${presentity}`,
        `CSeq: ${cseq} SUBSCRIBE`,
        `Contact: <sip:${user}@127.0.0.1:${this.socket.address().port}>`,
        'Event: presence',
        'Expires: 600',
        ...(auth ? [auth] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n')
    this.send(head(1))
    const challenge = await this.next((m) => m.startsWith('SIP/2.0 401'))
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!
    const ha1 = md5(`${user}:${domain}:${password}`)
    const response = md5(`${ha1}:${nonce}:${md5(`SUBSCRIBE:${uri}`)}`)
    this.send(
      head(
        2,
        `Authorization: Digest username="${user}", realm="${domain}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`,
      ),
    )
    return this.next((m) => /^SIP\/2\.0 [2-4]\d\d/.test(m) && m.includes('CSeq: 2 '))
  }

  async next(match: (m: string) => boolean): Promise<string> {
    await eventually(() => this.received.some(match), 5000)
    const index = this.received.findIndex(match)
    return this.received.splice(index, 1)[0]!
  }

  close(): void {
    this.socket.close()
  }
}

/** The 200 to a NOTIFY: its Via, From, To, Call-ID and CSeq. */
const answer = (notify: string): string => {
  const keep = notify
    .split('\r\n')
    .filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l))
    .join('\r\n')
  return `SIP/2.0 200 OK\r\n${keep}\r\nContent-Length: 0\r\n\r\n`
}

const setSipPassword = (token: string, password: string, address?: string) =>
  api(harness.url, {
    method: 'PUT',
    path: address ? `/v1/users/${address}/sip-password` : '/v1/me/sip-password',
    token,
    body: { password },
  })

describe('access of SIP subscriptions', { timeout: 30_000 }, () => {
  it('ends a subscription at once when its SIP password changes', async () => {
    expect((await setSipPassword(tokens['bob']!, secret)).status).toBe(204)
    await api(harness.url, {
      path: '/v1/subscriptions',
      token: tokens['bob'],
      body: { address: `amy@${domain}` },
    })
    const phone = await Phone.open()
    expect(await phone.subscribe('bob', secret, 'amy')).toMatch(/^SIP\/2\.0 200/)
    await phone.next((m) => m.startsWith('NOTIFY ') && m.includes('Subscription-State: active'))
    // An admin gives Bob a new SIP password: the old phone's subscription ends.
    expect((await setSipPassword(admin, 'another-secret-for-bob-7', `bob@${domain}`)).status).toBe(
      204,
    )
    const ended = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(ended).toContain('Subscription-State: terminated;reason=rejected')
    // The old password no longer signs in.
    expect(await phone.subscribe('bob', secret, 'amy')).toMatch(/^SIP\/2\.0 401/)
    phone.close()
  })

  it('refuses a member setting another’s SIP password, and a weak one', async () => {
    expect(
      (await setSipPassword(tokens['cid']!, 'a-fine-long-secret-1', `bob@${domain}`)).status,
    ).toBe(403)
    const weak = await setSipPassword(tokens['cid']!, 'password123')
    expect(weak.status).toBe(400)
    expect(weak.body).toMatchObject({ code: 'NRV_PASSWORD_WEAK' })
  })

  it('sends a polite-blocked watcher an ordinary offline document', async () => {
    expect((await setSipPassword(tokens['cid']!, secret)).status).toBe(204)
    await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/presence/sources/desk',
      token: tokens['amy'],
      body: { availability: 'busy', ttlSeconds: 600 },
    })
    const block = await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/privacy',
      token: tokens['amy'],
      body: {
        rules: [
          {
            id: 'no-cid',
            conditions: { addresses: [`cid@${domain}`] },
            subscription: 'polite-block',
            grant: {},
          },
        ],
      },
    })
    expect(block.status, JSON.stringify(block.body)).toBe(200)
    const phone = await Phone.open()
    expect(await phone.subscribe('cid', secret, 'amy')).toMatch(/^SIP\/2\.0 200/)
    const notify = await phone.next((m) => m.startsWith('NOTIFY '))
    expect(notify).toContain('<basic>closed</basic>')
    expect(notify).not.toContain('busy')
    phone.close()
  })
})

// A scripted SIP phone for tests, on UDP: it subscribes with digest authentication (MD5), answers
// every NOTIFY with 200 as a phone does, and keeps what it receives; test support.
import { createHash } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { addUsers, api, domain, eventually, startHarness } from './server-harness.js'

const md5 = (text: string) => createHash('md5').update(text).digest('hex')

/** A phone of `user` on UDP: sends SUBSCRIBE (answering the digest challenge) and keeps what comes. */
export class Phone {
  readonly received: string[] = []
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (m) => {
      const text = m.toString()
      this.received.push(text)
      // Every NOTIFY gets its 200, as a phone does.
      if (text.startsWith('NOTIFY ')) socket.send(answer(text), this.port, '127.0.0.1')
    })
  }

  /** A phone talking to the SIP gateway on `port` of 127.0.0.1. */
  static async open(port: number): Promise<Phone> {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    return new Phone(socket, port)
  }

  private send(text: string): void {
    this.socket.send(text, this.port, '127.0.0.1')
  }

  /** SUBSCRIBE of `user` to `presentity`'s `event` package for `expires` s, answering the digest challenge. */
  subscribe(
    user: string,
    password: string,
    presentity: string,
    event = 'presence',
    expires = 600,
  ): Promise<string> {
    const headers = [`Event: ${event}`, `Expires: ${expires}`]
    return this.authenticated('SUBSCRIBE', user, password, presentity, headers)
  }

  /** An INVITE of `user` to `callee` (a PBX asking where the call goes): the final answer. */
  call(user: string, password: string, callee: string): Promise<string> {
    return this.authenticated('INVITE', user, password, callee, [])
  }

  private calls = 0

  /** `method` from `user` to `target`, again with digest (MD5) after the challenge; its answer. */
  private async authenticated(
    method: string,
    user: string,
    password: string,
    target: string,
    extra: readonly string[],
  ): Promise<string> {
    const uri = `sip:${target}@${domain}`
    const callId = `call-${user}-${target}-${extra.join('-')}-${this.calls++}`
    const head = (cseq: number, auth = '') =>
      [
        `${method} ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${this.socket.address().port};branch=z9hG4bK${callId}${cseq}`,
        `From: <sip:${user}@${domain}>;tag=${user}1`,
        `To: <${uri}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:${user}@127.0.0.1:${this.socket.address().port}>`,
        ...extra,
        ...(auth ? [auth] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n')
    this.send(head(1))
    const challenge = await this.next((m) => m.startsWith('SIP/2.0 401') && m.includes(callId))
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!
    const ha1 = md5(`${user}:${domain}:${password}`)
    const response = md5(`${ha1}:${nonce}:${md5(`${method}:${uri}`)}`)
    const auth = `Authorization: Digest username="${user}", realm="${domain}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`
    this.send(head(2, auth))
    return this.next(
      (m) =>
        /^SIP\/2\.0 [2-6]\d\d/.test(m) && m.includes(`CSeq: 2 ${method}`) && m.includes(callId),
    )
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

/** The SIP password of the test phones. */
export const sipSecret = 'phone-secret-for-tests-42'

/** A server with SIP on a free port, the people `names`, and `sipSecret` as the SIP password of `phones`. */
export const startSipServer = async (
  names: readonly string[],
  phones: readonly string[],
  env: Record<string, string> = {},
) => {
  const harness = await startHarness({ env: { NARVARO_SIP_PORT: '0', ...env } })
  const { tokens, admin } = await addUsers(harness.url, names)
  for (const name of phones) {
    const body = { password: sipSecret }
    await api(harness.url, {
      method: 'PUT',
      path: '/v1/me/sip-password',
      token: tokens[name],
      body,
    })
  }
  return { harness, tokens, admin }
}

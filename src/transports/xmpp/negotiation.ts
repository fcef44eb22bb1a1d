// Stream negotiation of one XMPP client connection (RFC 6120 §4-7): the header's checks, STARTTLS,
// SASL (SCRAM-SHA-256, SCRAM-SHA-1, PLAIN) against Närvaro's accounts, and resource binding; then
// the bound stream is handed to a session. Transport layer.
import { randomBytes } from 'node:crypto'
import { Element } from 'ltx'
import type { IssuedToken, User } from '../../app/accounts/index.js'
import { isNarvaroError } from '../../core/errors.js'
import { parsePlain, SaslFailure, ScramExchange, scramMechanisms } from './sasl.js'
import type { ScramMechanism } from './sasl.js'
import type { StreamIo } from './stream-io.js'
import { StreamError, clientNs } from './xml-stream.js'
import type { XmppGatewayContext } from './gateway-context.js'
import { countOf, smNs } from './stream-management.js'
import { stanzasNs } from './stanza-errors.js'

const tlsNs = 'urn:ietf:params:xml:ns:xmpp-tls'
const saslNs = 'urn:ietf:params:xml:ns:xmpp-sasl'
const bindNs = 'urn:ietf:params:xml:ns:xmpp-bind'
const sessionNs = 'urn:ietf:params:xml:ns:xmpp-session'

/** SASL attempts one stream may make before it is closed (RFC 6120 §6.4.5 asks for at least 2). */
const maxSaslAttempts = 3

/** What a negotiated stream hands to its session. */
export interface BoundStream {
  readonly io: StreamIo
  readonly user: User
  readonly token: IssuedToken['token']
  readonly domain: string
  readonly resource: string
}

type Phase = 'tls' | 'sasl' | 'bind' | 'bound'

export class Negotiation {
  private phase: Phase
  private domain = ''
  private scram: ScramExchange | undefined
  private scramName = ''
  private attempts = 0
  private signedIn: { user: User; token: IssuedToken['token'] } | undefined

  constructor(
    private readonly io: StreamIo,
    private readonly context: XmppGatewayContext,
    private readonly on: {
      /** A resource was bound: a new session starts. */
      readonly bound: (stream: BoundStream) => void
      /** The client asks to resume session `previd` (XEP-0198): whether it was resumed. */
      readonly resume: (
        previd: string,
        h: number,
        signedIn: { user: User; token: IssuedToken['token'] },
      ) => boolean
    },
  ) {
    this.phase = context.tls === 'required' && !io.encrypted ? 'tls' : 'sasl'
  }

  /** The peer's stream header: checked, answered with ours and the features of this phase. */
  async opened(attrs: Record<string, string>): Promise<void> {
    const to = (attrs['to'] ?? '').toLowerCase()
    this.io.writeHeader({ id: randomBytes(12).toString('hex'), ...(to ? { from: to } : {}) })
    this.io.opened()
    if (attrs['version'] !== '1.0')
      throw new StreamError('unsupported-version', 'XMPP 1.0 streams only')
    if (this.domain && to !== this.domain) throw new StreamError('host-unknown')
    if (!this.domain) {
      if (!(await this.context.services.auth.hostsDomain(to)))
        throw new StreamError('host-unknown', 'no organization with this domain here')
      this.domain = to
    }
    this.io.send(this.features())
  }

  private features(): Element {
    const features = new Element('stream:features')
    if (this.phase === 'tls' || (this.phase === 'sasl' && !this.io.encrypted))
      features.c('starttls', { xmlns: tlsNs }).c(this.phase === 'tls' ? 'required' : 'optional')
    if (this.phase === 'sasl') {
      const mechanisms = features.c('mechanisms', { xmlns: saslNs })
      for (const name of this.mechanisms()) mechanisms.c('mechanism').t(name)
    }
    if (this.phase === 'bind') {
      features.c('bind', { xmlns: bindNs })
      features.c('session', { xmlns: sessionNs }).c('optional')
      for (const feature of this.context.boundFeatures) features.cnode(feature)
    }
    return features
  }

  private mechanisms(): string[] {
    const plain = this.io.encrypted || this.context.tls === 'optional'
    return [...Object.keys(scramMechanisms), ...(plain ? ['PLAIN'] : [])]
  }

  /** One element during negotiation. */
  async element(element: Element): Promise<void> {
    const ns = element.attrs['xmlns'] as string | undefined
    if (this.phase !== 'bound' && element.name === 'starttls' && ns === tlsNs)
      return this.startTls()
    if (this.phase === 'tls')
      throw new StreamError('policy-violation', 'STARTTLS is required first')
    if (this.phase === 'sasl' && ns === saslNs) return this.sasl(element)
    if (this.phase === 'bind' && element.name === 'iq' && ns === clientNs) return this.bind(element)
    if (this.phase === 'bind' && element.name === 'resume' && ns === smNs)
      return this.resume(element)
    throw new StreamError('not-authorized', 'authenticate and bind a resource first')
  }

  private startTls(): void {
    if (this.io.encrypted || !this.context.secureContext) {
      this.io.write(`<failure xmlns="${tlsNs}"/>`)
      return this.io.close()
    }
    this.io.write(`<proceed xmlns="${tlsNs}"/>`)
    this.phase = 'sasl'
    this.io.startTls(this.context.secureContext, () => this.io.restart())
  }

  private async sasl(element: Element): Promise<void> {
    try {
      if (element.name === 'abort') throw new SaslFailure('aborted', 'aborted')
      if (element.name === 'auth') return await this.auth(element)
      if (element.name === 'response' && this.scram) return await this.scramFinal(element)
      throw new SaslFailure('malformed-request', 'no SASL exchange to go on with')
    } catch (error) {
      this.saslFailed(error)
    }
  }

  private async auth(element: Element): Promise<void> {
    const mechanism = String(element.attrs['mechanism'] ?? '')
    if (!this.mechanisms().includes(mechanism)) {
      const failure = mechanism === 'PLAIN' ? 'encryption-required' : ('invalid-mechanism' as const)
      throw new SaslFailure(failure, `mechanism ${mechanism} is not offered`)
    }
    const initial = this.payload(element)
    if (mechanism === 'PLAIN') return this.plain(initial)
    const scram = new ScramExchange(scramMechanisms[mechanism as ScramMechanism])
    this.scramName = scram.start(initial)
    const user = await this.context.services.auth.userByAddress(this.addressOf(this.scramName))
    this.scram = scram
    const challenge = scram.challenge(
      this.scramName,
      user?.scram?.[scram.hash],
      this.context.scramIterations,
    )
    this.io.write(
      `<challenge xmlns="${saslNs}">${Buffer.from(challenge).toString('base64')}</challenge>`,
    )
  }

  private async scramFinal(element: Element): Promise<void> {
    const scram = this.scram!
    this.scram = undefined
    const { ok, serverFinal } = scram.finish(this.payload(element))
    await this.signIn(this.scramName, async () => ok)
    this.succeed(serverFinal)
  }

  private async plain(initial: Buffer): Promise<void> {
    const { authzid, authcid, password } = parsePlain(initial)
    const address = this.addressOf(authcid)
    if (authzid && authzid.toLowerCase() !== address)
      throw new SaslFailure('invalid-authzid', 'you may only act as yourself')
    const { auth } = this.context.services
    const user = await this.signIn(authcid, (found) => auth.passwordMatches(found, password))
    await auth.addScramKeys(user, password)
    this.succeed('')
  }

  private async signIn(
    name: string,
    check: (user: User | undefined) => Promise<boolean>,
  ): Promise<User> {
    const signedIn = await this.context.services.auth.saslSignIn(
      {
        address: this.addressOf(name),
        tokenName: 'xmpp',
        ...(this.io.remoteAddress ? { clientIp: this.io.remoteAddress } : {}),
      },
      check,
    )
    this.signedIn = { user: signedIn.user, token: signedIn.token }
    return signedIn.user
  }

  private succeed(serverFinal: string): void {
    const data = serverFinal ? Buffer.from(serverFinal).toString('base64') : ''
    this.io.write(`<success xmlns="${saslNs}">${data}</success>`)
    this.phase = 'bind'
    this.io.restart()
  }

  /** A SASL failure: the condition, then another try, or the end after too many. */
  private saslFailed(error: unknown): void {
    this.scram = undefined
    const condition =
      error instanceof SaslFailure
        ? error.condition
        : isNarvaroError(error) && error.code === 'NRV_RATE_LIMITED'
          ? 'temporary-auth-failure'
          : isNarvaroError(error) && error.code === 'NRV_BUSY'
            ? 'temporary-auth-failure'
            : 'not-authorized'
    if (!(error instanceof SaslFailure) && !isNarvaroError(error)) this.context.onError(error)
    this.io.write(`<failure xmlns="${saslNs}"><${condition}/></failure>`)
    if (++this.attempts >= maxSaslAttempts) this.io.close()
  }

  /** The base64 payload of `<auth>` or `<response>`; `=` is an empty one. */
  private payload(element: Element): Buffer {
    const text = element.getText().trim()
    if (text === '' || text === '=') return Buffer.alloc(0)
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text))
      throw new SaslFailure('incorrect-encoding', 'not base64')
    return Buffer.from(text, 'base64')
  }

  /** A SASL user name is the localpart, or the whole address within this stream's domain. */
  private addressOf(name: string): string {
    const lower = name.toLowerCase()
    return lower.includes('@') ? lower : `${lower}@${this.domain}`
  }

  /** XEP-0198 §5: resumes a dropped session instead of binding a new resource. */
  private resume(element: Element): void {
    const h = countOf(element)
    const previd = String(element.attrs['previd'] ?? '')
    if (h !== undefined && this.on.resume(previd, h, this.signedIn!)) {
      this.phase = 'bound'
      return
    }
    this.io.write(`<failed xmlns="${smNs}"><item-not-found xmlns="${stanzasNs}"/></failed>`)
  }

  private bind(iq: Element): void {
    const bind = iq.getChild('bind', bindNs)
    const id = String(iq.attrs['id'] ?? '')
    if (iq.attrs['type'] !== 'set' || !bind)
      throw new StreamError('not-authorized', 'bind a resource first')
    const requested = bind.getChildText('resource')?.trim() ?? ''
    const resource = validResource(requested)
      ? requested
      : `narvaro-${randomBytes(6).toString('hex')}`
    const { user, token } = this.signedIn!
    const jid = `${user.address}/${resource}`
    const reply = new Element('iq', { type: 'result', id })
    reply.c('bind', { xmlns: bindNs }).c('jid').t(jid)
    this.io.send(reply)
    this.phase = 'bound'
    this.on.bound({ io: this.io, user, token, domain: this.domain, resource })
  }
}

/** A resource the server keeps as given: printable, at most 200 characters, no `/` confusion. */
const validResource = (resource: string): boolean =>
  resource.length > 0 &&
  resource.length <= 200 &&
  [...resource].every((char) => char.charCodeAt(0) >= 0x20 && char !== '\u007f')

// PUBLISH of presence (RFC 3903) from a phone or PBX: each initial publication is one Närvaro source
// of the authenticated user (kind `phone`), living its Expires; SIP-If-Match refreshes, modifies or
// removes it by entity tag, a new tag each time; an unknown tag is 412. A user publishes only their
// own presence. Transport layer.
import { randomBytes } from 'node:crypto'
import type { User } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import type { SourcePublicationInput } from '../../app/presence/index.js'
import { publishedState } from './pidf-in.js'
import { addressOfUri, eventOf, expiresOf } from './sip-headers.js'
import type { SipRequest } from './sip-message.js'

export const maxPublishExpires = 3600

type Reply = (status: number, reason: string, headers?: [string, string][]) => void

interface EventState {
  readonly address: string
  readonly sourceId: string
  state: SourcePublicationInput | undefined
  timer: NodeJS.Timeout
}

const newTag = () => randomBytes(9).toString('base64url')

export class SipPublications {
  /** Entity tag → the event state it names. */
  private readonly states = new Map<string, EventState>()

  constructor(
    private readonly services: NarvaroServices,
    private readonly minExpires: number,
  ) {}

  async handle(request: SipRequest, user: User, reply: Reply): Promise<void> {
    const { headers } = request
    if (eventOf(headers)?.event !== 'presence')
      return reply(489, 'Bad Event', [['Allow-Events', 'presence']])
    if (addressOfUri(request.uri) !== user.address) return reply(403, 'Forbidden')
    const expires = Math.min(expiresOf(headers) ?? maxPublishExpires, maxPublishExpires)
    if (expires > 0 && expires < this.minExpires)
      return reply(423, 'Interval Too Brief', [['Min-Expires', String(this.minExpires)]])
    const match = headers.get('sip-if-match')
    const hasBody = request.body.trim() !== ''
    if (hasBody && !/^application\/pidf\+xml\b/i.test(headers.get('content-type') ?? ''))
      return reply(415, 'Unsupported Media Type', [['Accept', 'application/pidf+xml']])
    const existing = match === undefined ? undefined : this.states.get(match)
    if (match !== undefined && (!existing || existing.address !== user.address))
      return reply(412, 'Conditional Request Failed')
    if (!existing && !hasBody) return reply(400, 'Bad Request')
    const sourceId = existing?.sourceId ?? `sip-${newTag()}`
    if (match !== undefined) this.forget(match)
    if (expires === 0) {
      this.services.presence.retractSource(user, sourceId)
      return reply(200, 'OK', [['Expires', '0']])
    }
    const published = hasBody ? publishedState(request.body) : undefined
    const state = published ? (published.open ? published.state : undefined) : existing?.state
    if (state) {
      const source = { id: sourceId, kind: 'phone' as const }
      await this.services.presence.publishSource(user, source, { ...state, ttlMs: expires * 1000 })
    } else this.services.presence.retractSource(user, sourceId)
    const tag = newTag()
    this.remember(tag, { address: user.address, sourceId, state }, expires)
    reply(200, 'OK', [
      ['SIP-ETag', tag],
      ['Expires', String(expires)],
    ])
  }

  private remember(tag: string, entry: Omit<EventState, 'timer'>, expires: number): void {
    const timer = setTimeout(() => this.states.delete(tag), expires * 1000)
    timer.unref()
    this.states.set(tag, { ...entry, timer })
  }

  private forget(tag: string): void {
    const entry = this.states.get(tag)
    if (entry) clearTimeout(entry.timer)
    this.states.delete(tag)
  }

  stop(): void {
    for (const tag of [...this.states.keys()]) this.forget(tag)
  }
}

// Who sent a SIP request: digest authentication (RFC 8760) against the user's SIP credentials, with
// the same back-off as every sign-in (per user and per client address) so that SIP passwords cannot
// be guessed faster than account ones. A wrong password and an unknown user get the same challenge;
// a client that failed too often gets 503 with Retry-After. Transport layer.
import type { DigestAlgorithm, User } from '../../app/accounts/index.js'
import { LoginThrottle, defaultLoginLimits, ha1Of } from '../../app/accounts/index.js'
import type { NarvaroServices } from '../../app/services.js'
import {
  DigestNonces,
  challengeHeaders,
  digestMatches,
  parseAuthorization,
  type DigestResponse,
} from './sip-digest.js'
import type { SipPeer } from './sip-gateway.js'
import { parseUri } from './sip-headers.js'
import type { SipRequest } from './sip-message.js'

type Reply = (status: number, reason: string, headers?: [string, string][]) => void

/**
 * Whether a digest's `uri` names the request's resource: its Request-URI, or (as sipp and some
 * phones send) this server's own address without a user.
 */
const sameResource = (uri: string, request: SipRequest): boolean => {
  if (uri === request.uri) return true
  try {
    return parseUri(uri).user === undefined
  } catch {
    return false
  }
}

export class SipAuthenticator {
  private readonly nonces: DigestNonces
  private readonly byUser: LoginThrottle
  private readonly byClient: LoginThrottle

  constructor(
    private readonly services: NarvaroServices,
    private readonly algorithms: readonly DigestAlgorithm[],
  ) {
    const { clock } = services
    this.nonces = new DigestNonces(() => clock.now())
    this.byUser = new LoginThrottle(clock, defaultLoginLimits.address)
    this.byClient = new LoginThrottle(clock, defaultLoginLimits.client)
  }

  /**
   * The user the request's digest proves, or undefined after answering 401 (no or wrong credentials,
   * a stale nonce, the same whether or not the user exists) or 503 (too many failures).
   */
  async authenticate(request: SipRequest, peer: SipPeer, reply: Reply): Promise<User | undefined> {
    const realm = parseUri(request.uri).host
    const header = request.headers.get('authorization')
    const challenge = (stale = false) => {
      const nonce = this.nonces.issue(realm)
      reply(401, 'Unauthorized', challengeHeaders(this.algorithms, realm, nonce, stale))
    }
    if (!header) return void challenge()
    const auth = parseAuthorization(header)
    const nonce = this.nonces.check(auth.nonce, auth.realm)
    const offered = this.algorithms.includes(auth.algorithm)
    if (nonce === 'bad' || !offered || auth.realm !== realm || !sameResource(auth.uri, request))
      return void challenge()
    const keys = { user: `${auth.username}@${auth.realm}`.toLowerCase(), client: peer.address }
    const waitMs = Math.max(this.byUser.waitMs(keys.user), this.byClient.waitMs(keys.client))
    if (waitMs > 0) {
      const retry = String(Math.ceil(waitMs / 1000))
      return void reply(503, 'Service Unavailable', [['Retry-After', retry]])
    }
    const attempts = [this.byUser.begin(keys.user), this.byClient.begin(keys.client)]
    const user = await this.proved(auth, request.method, keys.user).catch((error: unknown) => {
      for (const attempt of attempts) attempt.abandoned()
      throw error
    })
    for (const attempt of attempts) {
      if (user) attempt.succeeded()
      else attempt.failed()
    }
    if (!user) return void challenge()
    // A stale nonce, or one used again with a count that did not grow (a replay): a new one.
    if (nonce === 'stale' || !this.nonces.use(auth.nonce, auth.nc)) return void challenge(true)
    return user
  }

  private async proved(
    auth: DigestResponse,
    method: string,
    address: string,
  ): Promise<User | undefined> {
    const user = await this.services.store.getUserByAddress(address)
    const credentials = user?.sipDigest
    const ok =
      credentials !== undefined &&
      credentials.username === auth.username &&
      digestMatches(auth, method, ha1Of(credentials, auth.algorithm))
    return ok ? user : undefined
  }
}

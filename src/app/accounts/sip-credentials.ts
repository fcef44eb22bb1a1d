// A user's SIP credentials: a SIP password set apart from the account's, by the person or an admin
// of the organization, kept only as the digest HA1s (RFC 8760: MD5 and SHA-256) that phones prove;
// a change or removal ends every SIP subscription made with the old ones. App layer.
import { createHash } from 'node:crypto'
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { Clock } from '../../ports/clock.js'
import type { PresenceStore, SipDigestCredentials, User } from '../../ports/store.js'
import type { AuditLog } from '../policy/index.js'
import { requireAdmin } from '../shared/index.js'
import type { LiveSessions } from './live-sessions.js'
import { checkPassword } from './password-policy.js'

export type DigestAlgorithm = 'MD5' | 'SHA-256'

const hashOf: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' }

/** H(text) in `algorithm`, lower-case hex (RFC 8760 §3). */
export const digestHash = (algorithm: DigestAlgorithm, text: string): string =>
  createHash(hashOf[algorithm]).update(text, 'utf8').digest('hex')

/** The SIP user name and realm of an address: `amy@acme.example` is `amy` in `acme.example`. */
export const sipIdentityOf = (address: string): { username: string; realm: string } => {
  const at = address.lastIndexOf('@')
  return { username: address.slice(0, at), realm: address.slice(at + 1) }
}

/** The HA1 of `credentials` in `algorithm`. */
export const ha1Of = (credentials: SipDigestCredentials, algorithm: DigestAlgorithm): string =>
  algorithm === 'MD5' ? credentials.md5 : credentials.sha256

/**
 * The pseudo token of the live sessions (SIP subscriptions) opened with `credentials`: new
 * credentials revoke it, so those sessions end, as sessions of a revoked token do.
 */
export const sipSessionTokenId = (user: User, credentials: SipDigestCredentials): string =>
  `sip:${user.id}:${credentials.setAt}`

export class SipCredentialService {
  constructor(
    private readonly deps: {
      readonly store: PresenceStore
      readonly clock: Clock
      readonly sessions: LiveSessions
      /** Told when a user's credentials changed, so cached copies of the account are dropped. */
      readonly accountChanged: (user: User) => Promise<void>
      readonly audit?: AuditLog
    },
  ) {}

  /** Sets the SIP password of `rawAddress`: one's own, or anyone's of the organization for an admin. */
  async set(actor: User, rawAddress: string, password: string): Promise<void> {
    const user = await this.target(actor, rawAddress)
    checkPassword(password, { address: user.address })
    const { username, realm } = sipIdentityOf(user.address)
    const secret = `${username}:${realm}:${password}`
    const sipDigest: SipDigestCredentials = {
      username,
      realm,
      md5: digestHash('MD5', secret),
      sha256: digestHash('SHA-256', secret),
      setAt: Math.max(this.deps.clock.now(), (user.sipDigest?.setAt ?? 0) + 1),
    }
    await this.deps.store.updateUser(user.id, { sipDigest })
    await this.deps.accountChanged(user)
    await this.ended(actor, user, 'sip.password-set')
  }

  /** Removes the SIP credentials of `rawAddress`: its phones can no longer sign in. */
  async remove(actor: User, rawAddress: string): Promise<void> {
    const user = await this.target(actor, rawAddress)
    if (!user.sipDigest) throw new NarvaroError('NRV_NOT_FOUND', 'no SIP password is set')
    await this.deps.store.updateUser(user.id, { sipDigest: null })
    await this.deps.accountChanged(user)
    await this.ended(actor, user, 'sip.password-removed')
  }

  private async target(actor: User, rawAddress: string): Promise<User> {
    const address = normalizeAddress(rawAddress)
    if (address !== actor.address) requireAdmin(actor, "set another person's SIP password")
    const user = address === actor.address ? actor : await this.deps.store.getUserByAddress(address)
    if (!user || user.organizationId !== actor.organizationId) {
      throw new NarvaroError('NRV_NOT_FOUND', `no user ${rawAddress} in your organization`)
    }
    // The actor object may be older than the store's: read the credentials afresh.
    return (await this.deps.store.getUser(user.id)) ?? user
  }

  /** The subscriptions made with the old credentials end everywhere; the change is audited. */
  private async ended(actor: User, user: User, action: string): Promise<void> {
    if (user.sipDigest) {
      const tokenId = sipSessionTokenId(user, user.sipDigest)
      await this.deps.sessions.tokensRevoked(user, [tokenId], 'password-changed')
    }
    this.deps.audit?.action('account', {
      organizationId: user.organizationId,
      actor: actor.address,
      action,
      subject: user.address,
    })
  }
}

// The accounts concept composed: sign-in (with its limits, metrics and log), users, and every live
// session of every transport, ended when its access ends; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { User } from '../../ports/store.js'
import type { ProfileDirectory } from '../directory/index.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import type { PresenceService } from '../presence/index.js'
import type { NarvaroMetrics } from '../shared/index.js'
import { AuthService } from './auth-service.js'
import { LiveSessions } from './live-sessions.js'
import { loginLimitsOf } from './sign-in-guard.js'
import type { SignInEvent } from './sign-in-guard.js'
import { SipCredentialService } from './sip-credentials.js'
import { UserService } from './user-service.js'

/** Sign-in limits (docs/security.md); the defaults of `defaultLoginLimits` where absent. */
export type AccountsSettings = Parameters<typeof loginLimitsOf>[0]

export interface AccountsParts {
  readonly auth: AuthService
  readonly users: UserService
  /** Every live session of every transport, closed at once when its access ends. */
  readonly sessions: LiveSessions
  /** SIP passwords, apart from the account's (digest HA1s only). */
  readonly sipCredentials: SipCredentialService
}

interface AccountsDeps {
  readonly store: NarvaroStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly settings: AccountsSettings
  readonly presence: PresenceService
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly audit: AuditLog
  readonly metrics: NarvaroMetrics
  readonly onError: (error: unknown) => void
  /** Each sign-in attempt, for the server log (it is counted in the metrics here). */
  readonly onSignIn?: (event: SignInEvent) => void
  /** After a user's time zone changed: what is expanded in their time zone is expanded again. */
  readonly onTimeZoneChanged: (user: User) => Promise<void>
}

const createAuth = (deps: AccountsDeps, sessions: LiveSessions): AuthService => {
  const { store, bus, clock, settings, audit, metrics } = deps
  return new AuthService({
    store,
    bus,
    clock,
    audit,
    ...loginLimitsOf(settings),
    onSignIn: (event) => {
      metrics.logins.inc({ outcome: event.outcome })
      deps.onSignIn?.(event)
    },
    // Every revocation is an access event on the change channel: the tokens' sessions end at once.
    onTokensRevoked: (user, tokenIds, reason) => sessions.tokensRevoked(user, tokenIds, reason),
    onError: deps.onError,
  })
}

/** Its live sessions listen to access changes on the change channel. */
export const createAccounts = (deps: AccountsDeps): AccountsParts => {
  const { store, bus, clock, presence, profiles, policies, audit, onError } = deps
  const sessions = new LiveSessions({ bus, clock, onError })
  const auth = createAuth(deps, sessions)
  const users = new UserService({
    store,
    presence,
    sessions,
    profiles,
    policies,
    clock,
    auth,
    audit,
    onTimeZoneChanged: deps.onTimeZoneChanged,
  })
  const sipCredentials = new SipCredentialService({
    store,
    clock,
    sessions,
    audit,
    accountChanged: (user) => auth.accountChanged(user),
  })
  return { auth, users, sessions, sipCredentials }
}

export const stopAccounts = async (parts: AccountsParts): Promise<void> => {
  parts.sessions.stop()
  await parts.auth.stop()
}

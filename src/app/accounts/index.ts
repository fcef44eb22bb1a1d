// The accounts concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { AuthService, hashToken } from './auth-service.js'
export type { Authenticated, IssuedToken } from './auth-service.js'
export { LiveSessions } from './live-sessions.js'
export { LoginThrottle } from './login-throttle.js'
export { defaultLoginLimits } from './sign-in-guard.js'
export { defaultHashCost, minimumHashCost } from './password-hasher.js'
export type { PasswordHashCost } from './password-hasher.js'
export type { LiveSession } from './live-sessions.js'
export { loginLimitsOf } from './sign-in-guard.js'
export type { SignInEvent } from './sign-in-guard.js'
export { UserService } from './user-service.js'
export {
  SipCredentialService,
  digestHash,
  ha1Of,
  sipIdentityOf,
  sipSessionTokenId,
} from './sip-credentials.js'
export type { DigestAlgorithm } from './sip-credentials.js'
export {
  digest as scramDigest,
  hmac as scramHmac,
  preparePassword,
  scramIterations,
} from './scram-keys.js'
export type { ScramHash } from './scram-keys.js'
export { createAccounts, stopAccounts } from './create-accounts.js'
export type { AccountsParts, AccountsSettings } from './create-accounts.js'
// The account records as the transports show them (a user and their tokens).
export type { ApiToken, ScramKeys, User } from '../../ports/store.js'

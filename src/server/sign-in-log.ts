// The server log of sign-ins: successes at info, failures and refusals at warn, with the address,
// the client address and the reason; never a password (there is none in the event); composition root.
import type { Logger } from 'pino'
import type { SignInEvent } from '../app/accounts/index.js'

export const signInLogger =
  (logger: Logger) =>
  (event: SignInEvent): void => {
    const fields = { address: event.address, clientIp: event.clientIp, outcome: event.outcome }
    if (event.outcome === 'success') logger.info(fields, 'sign-in succeeded')
    else logger.warn({ ...fields, reason: event.reason }, 'sign-in refused')
  }

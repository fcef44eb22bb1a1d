// SCRAM keys of a password (RFC 5802 §3, RFC 7677): SaltedPassword = PBKDF2(SASLprep(password)),
// StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key");
// derived whenever a password is set, so XMPP clients can sign in without the password ever
// crossing the wire; app layer.
import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import saslprep from '@mongodb-js/saslprep'
import type { ScramCredentials, ScramKeys } from '../../ports/store.js'

export type ScramHash = keyof ScramCredentials

const nodeHash = { 'SHA-1': 'sha1', 'SHA-256': 'sha256' } as const
const pbkdf2Async = promisify(pbkdf2)

/**
 * Iterations of PBKDF2: what clients repeat at every sign-in; above the 4,096 of RFC 7677 and the
 * same order as established XMPP servers use.
 */
export const scramIterations = 10_000

/** The password as SCRAM hashes it: SASLprep'd (RFC 4013), which refuses prohibited characters. */
export const preparePassword = (password: string): string => saslprep(password)

export const hmac = (hash: ScramHash, key: Buffer, data: string | Buffer): Buffer =>
  createHmac(nodeHash[hash], key).update(data).digest()

export const digest = (hash: ScramHash, data: Buffer): Buffer =>
  createHash(nodeHash[hash]).update(data).digest()

/** The salted password of RFC 5802: PBKDF2 with HMAC of `hash`, one block. */
export const saltedPassword = (
  hash: ScramHash,
  password: string,
  salt: Buffer,
  iterations: number,
): Promise<Buffer> =>
  pbkdf2Async(
    preparePassword(password),
    salt,
    iterations,
    hash === 'SHA-1' ? 20 : 32,
    nodeHash[hash],
  )

const keysOf = async (hash: ScramHash, password: string): Promise<ScramKeys> => {
  const salt = randomBytes(16)
  const salted = await saltedPassword(hash, password, salt, scramIterations)
  return {
    salt: salt.toString('base64'),
    iterations: scramIterations,
    storedKey: digest(hash, hmac(hash, salted, 'Client Key')).toString('base64'),
    serverKey: hmac(hash, salted, 'Server Key').toString('base64'),
  }
}

/**
 * SCRAM-SHA-1 and SCRAM-SHA-256 keys of `password`, or undefined when SASLprep refuses it (such a
 * password still signs in over REST and with PLAIN, never with SCRAM).
 */
export const deriveScramKeys = async (password: string): Promise<ScramCredentials | undefined> => {
  try {
    preparePassword(password)
  } catch {
    return undefined
  }
  const [sha1, sha256] = await Promise.all([keysOf('SHA-1', password), keysOf('SHA-256', password)])
  return { 'SHA-1': sha1, 'SHA-256': sha256 }
}

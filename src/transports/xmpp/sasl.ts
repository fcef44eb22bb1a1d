// The server side of the SASL mechanisms of the XMPP gateway: PLAIN (RFC 4616) and SCRAM-SHA-1 /
// SCRAM-SHA-256 (RFC 5802, 7677) without channel binding. Pure message handling over the keys the
// accounts concept derived; the sign-in itself (throttle, token) is the caller's. Transport layer.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ScramHash, ScramKeys } from '../../app/accounts/index.js'
import { scramDigest, scramHmac } from '../../app/accounts/index.js'

export const scramMechanisms = { 'SCRAM-SHA-256': 'SHA-256', 'SCRAM-SHA-1': 'SHA-1' } as const
export type ScramMechanism = keyof typeof scramMechanisms

/** A SASL exchange the client got wrong: the `<failure/>` condition of RFC 6120 §6.5. */
export class SaslFailure extends Error {
  constructor(
    readonly condition:
      | 'aborted'
      | 'encryption-required'
      | 'incorrect-encoding'
      | 'invalid-authzid'
      | 'invalid-mechanism'
      | 'malformed-request'
      | 'not-authorized'
      | 'temporary-auth-failure',
    message: string,
  ) {
    super(message)
  }
}

const malformed = (what: string) => new SaslFailure('malformed-request', what)

export interface PlainCredentials {
  readonly authzid: string
  readonly authcid: string
  readonly password: string
}

/** `[authzid] NUL authcid NUL passwd` of RFC 4616. */
export const parsePlain = (message: Buffer): PlainCredentials => {
  const parts = message.toString('utf8').split('\u0000')
  if (parts.length !== 3) throw malformed('PLAIN needs authzid, authcid and password')
  const [authzid, authcid, password] = parts as [string, string, string]
  if (!authcid || !password || authcid.length > 320 || password.length > 1024)
    throw malformed('PLAIN needs a user name and a password')
  return { authzid, authcid, password }
}

/** `a=1,b=2` attribute pairs of a SCRAM message, each name once. */
const attributesOf = (text: string): Map<string, string> => {
  const attributes = new Map<string, string>()
  for (const part of text.split(',')) {
    const match = /^([A-Za-z])=(.*)$/s.exec(part)
    if (!match || attributes.has(match[1]!)) throw malformed('not a SCRAM message')
    attributes.set(match[1]!, match[2]!)
  }
  return attributes
}

/** A SCRAM user name: `=2C` is a comma and `=3D` an equals sign; any other `=` is malformed. */
const decodeName = (name: string): string => {
  if (/=(?!2C|3D)/.test(name)) throw malformed('badly escaped SCRAM user name')
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=')
}

/** Keys of a user the exchange does not know: a salt that stays the same for the same name. */
const decoySecret = randomBytes(32)
const decoyKeys = (name: string, iterations: number): ScramKeys => {
  const salt = createHmac('sha256', decoySecret).update(name).digest().subarray(0, 16)
  const key = randomBytes(32).toString('base64')
  return { salt: salt.toString('base64'), iterations, storedKey: key, serverKey: key }
}

export interface ScramStart {
  /** The user name the client gave (its localpart or whole address). */
  readonly name: string
  readonly serverFirst: string
}

/** One SCRAM exchange: client-first → server-first, client-final → server-final or failure. */
export class ScramExchange {
  private clientFirstBare = ''
  private serverFirst = ''
  private gs2Header = ''
  private nonce = ''
  private keys: ScramKeys | undefined
  private known = false

  constructor(
    readonly hash: ScramHash,
    /** The server's part of the nonce (fixed only by tests that replay the RFCs' examples). */
    private readonly serverNonce: () => string = () => randomBytes(18).toString('base64'),
  ) {}

  /** Reads the client-first message; the caller then looks the name up and calls `challenge`. */
  start(message: Buffer): string {
    const text = message.toString('utf8')
    const match = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(text)
    if (!match) throw malformed('not a SCRAM client-first message')
    if (match[1]!.startsWith('p='))
      throw malformed('channel binding is not offered (no -PLUS mechanism)')
    if (match[2])
      throw new SaslFailure('invalid-authzid', 'an authorization identity is not supported')
    this.gs2Header = `${match[1]},${match[2] ?? ''},`
    this.clientFirstBare = match[3]!
    const attributes = attributesOf(this.clientFirstBare)
    const name = attributes.get('n')
    const clientNonce = attributes.get('r')
    if (!name || !clientNonce || attributes.has('m'))
      throw malformed('a SCRAM client-first message needs n= and r=')
    if (!/^[\x21-\x2b\x2d-\x7e]{8,256}$/.test(clientNonce)) throw malformed('a bad client nonce')
    this.nonce = clientNonce + this.serverNonce()
    return decodeName(name)
  }

  /** The server-first message, with the user's keys (or decoy ones for an unknown user). */
  challenge(name: string, keys: ScramKeys | undefined, iterations: number): string {
    this.known = keys !== undefined
    this.keys = keys ?? decoyKeys(name, iterations)
    this.serverFirst = `r=${this.nonce},s=${this.keys.salt},i=${this.keys.iterations}`
    return this.serverFirst
  }

  /**
   * Checks the client-final message: whether the proof is right, and the server-final message
   * that proves the server knew the keys too.
   */
  finish(message: Buffer): { readonly ok: boolean; readonly serverFinal: string } {
    const text = message.toString('utf8')
    const proofAt = text.lastIndexOf(',p=')
    if (proofAt < 0 || !this.keys) throw malformed('not a SCRAM client-final message')
    const withoutProof = text.slice(0, proofAt)
    const attributes = attributesOf(withoutProof)
    if (attributes.get('c') !== Buffer.from(this.gs2Header).toString('base64'))
      throw malformed('the channel binding data differs from the client-first message')
    if (attributes.get('r') !== this.nonce) throw malformed('the nonce differs')
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64')
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`
    const storedKey = Buffer.from(this.keys.storedKey, 'base64')
    const signature = scramHmac(this.hash, storedKey, authMessage)
    if (proof.length !== signature.length) return { ok: false, serverFinal: '' }
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!))
    const ok = this.known && timingSafeEqual(scramDigest(this.hash, clientKey), storedKey)
    const serverKey = Buffer.from(this.keys.serverKey, 'base64')
    const serverSignature = scramHmac(this.hash, serverKey, authMessage).toString('base64')
    return { ok, serverFinal: ok ? `v=${serverSignature}` : '' }
  }
}

// The gateway's SASL mechanisms replay the examples of RFC 5802 (SCRAM-SHA-1) and RFC 7677
// (SCRAM-SHA-256) byte for byte, refuse a wrong proof, and parse PLAIN strictly.
import { describe, expect, it } from 'vitest'
import { scramDigest, scramHmac } from '../../../src/app/accounts/index.js'
import { deriveScramKeys, saltedPassword } from '../../../src/app/accounts/scram-keys.js'
import type { ScramHash } from '../../../src/app/accounts/index.js'
import { parsePlain, SaslFailure, ScramExchange } from '../../../src/transports/xmpp/sasl.js'

const keysFor = async (hash: ScramHash, password: string, salt: string, iterations: number) => {
  const salted = await saltedPassword(hash, password, Buffer.from(salt, 'base64'), iterations)
  return {
    salt,
    iterations,
    storedKey: scramDigest(hash, scramHmac(hash, salted, 'Client Key')).toString('base64'),
    serverKey: scramHmac(hash, salted, 'Server Key').toString('base64'),
  }
}

const examples = [
  {
    rfc: 'RFC 5802 §5',
    hash: 'SHA-1' as const,
    clientFirst: 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
    serverNonce: '3rfcNHYJY1ZVvWVs7j',
    salt: 'QSXCR+Q6sek8bf92',
    serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
    clientFinal:
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
  },
  {
    rfc: 'RFC 7677 §3',
    hash: 'SHA-256' as const,
    clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
    serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
    serverFirst:
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    clientFinal:
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
  },
]

describe('SCRAM on the server side', () => {
  it.each(examples)('replays the example of $rfc', async (example) => {
    const keys = await keysFor(example.hash, 'pencil', example.salt, 4096)
    const exchange = new ScramExchange(example.hash, () => example.serverNonce)
    const name = exchange.start(Buffer.from(example.clientFirst))
    expect(name).toBe('user')
    expect(exchange.challenge(name, keys, 4096)).toBe(example.serverFirst)
    expect(exchange.finish(Buffer.from(example.clientFinal))).toEqual({
      ok: true,
      serverFinal: example.serverFinal,
    })
  })

  it.each(examples)('refuses a wrong password, and an unknown user, in $rfc', async (example) => {
    const wrong = await keysFor(example.hash, 'pencils', example.salt, 4096)
    const exchange = new ScramExchange(example.hash, () => example.serverNonce)
    exchange.challenge(exchange.start(Buffer.from(example.clientFirst)), wrong, 4096)
    expect(exchange.finish(Buffer.from(example.clientFinal)).ok).toBe(false)
    const unknown = new ScramExchange(example.hash, () => example.serverNonce)
    const first = unknown.challenge(
      unknown.start(Buffer.from(example.clientFirst)),
      undefined,
      4096,
    )
    expect(first).toMatch(/^r=.+,s=.+,i=4096$/)
    expect(unknown.finish(Buffer.from(example.clientFinal)).ok).toBe(false)
  })

  it('gives an unknown user the same salt each time, so probing does not tell', () => {
    const saltOf = () => {
      const exchange = new ScramExchange('SHA-256')
      return exchange
        .challenge(exchange.start(Buffer.from('n,,n=nobody,r=abcdefghij')), undefined, 10_000)
        .split(',')[1]
    }
    expect(saltOf()).toBe(saltOf())
  })

  it.each([
    ['channel binding asked for', 'p=tls-unique,,n=user,r=abcdefghij', 'malformed-request'],
    ['an authorization identity', 'n,a=admin,n=user,r=abcdefghij', 'invalid-authzid'],
    ['no nonce', 'n,,n=user', 'malformed-request'],
    ['a bad escape', 'n,,n=us=er,r=abcdefghij', 'malformed-request'],
    ['garbage', 'hello', 'malformed-request'],
  ])('refuses a client-first message with %s', (_name, message, condition) => {
    const exchange = new ScramExchange('SHA-256')
    expect(() => exchange.start(Buffer.from(message))).toThrow(
      expect.objectContaining({ condition }) as SaslFailure,
    )
  })

  it('refuses a client-final message with another nonce', async () => {
    const keys = (await deriveScramKeys('correct horse battery'))!['SHA-256']
    const exchange = new ScramExchange('SHA-256')
    exchange.challenge(exchange.start(Buffer.from('n,,n=user,r=abcdefghij')), keys, 10_000)
    expect(() => exchange.finish(Buffer.from('c=biws,r=abcdefghijXYZ,p=AAAA'))).toThrow(SaslFailure)
  })
})

describe('PLAIN', () => {
  it('reads authzid, authcid and password, and refuses anything else', () => {
    expect(parsePlain(Buffer.from('\u0000ada\u0000secret pass'))).toEqual({
      authzid: '',
      authcid: 'ada',
      password: 'secret pass',
    })
    expect(() => parsePlain(Buffer.from('ada\u0000secret'))).toThrow(SaslFailure)
    expect(() => parsePlain(Buffer.from('\u0000\u0000secret'))).toThrow(SaslFailure)
  })
})

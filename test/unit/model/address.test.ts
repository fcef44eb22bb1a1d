// Addresses: normalization to `user@domain`, rejection of malformed ones (NRV_ADDRESS_INVALID); unit tests.
import { describe, expect, it } from 'vitest'
import { NarvaroError } from '../../../src/core/errors.js'
import {
  domainOf,
  isValidDomain,
  normalizeAddress,
  parseAddress,
} from '../../../src/core/model/address.js'

const label63 = 'a'.repeat(63)
const local64 = 'a'.repeat(64)

describe('parseAddress', () => {
  it('splits an address into its local part and domain', () => {
    expect(parseAddress('ann@acme.example')).toEqual({
      local: 'ann',
      domain: 'acme.example',
      address: 'ann@acme.example',
    })
  })

  it('normalizes to lower case and trims surrounding white space', () => {
    expect(parseAddress('  Ann.Andersson@ACME.Example\t\n')?.address).toBe(
      'ann.andersson@acme.example',
    )
  })

  it.each([
    ['a plus tag', 'ann+presence@acme.example'],
    ['dots, hyphens and underscores inside the local part', 'ann.b-c_d@acme.example'],
    ['digits only', '1234@5.example'],
    ['a one-character local part', 'a@acme.example'],
    ['a one-label domain (a LAN host)', 'ann@localhost'],
    ['subdomains', 'ann@eu.mail.acme.example'],
    ['hyphens inside a domain label', 'ann@acme-corp.example'],
    ['a 64-character local part', `${local64}@acme.example`],
    ['a 63-character domain label', `ann@${label63}.example`],
  ])('accepts %s', (_what, input) => {
    expect(parseAddress(input)?.address).toBe(input)
  })

  it.each([
    ['an empty string', ''],
    ['white space only', '   '],
    ['no @ at all', 'ann.acme.example'],
    ['an empty local part', '@acme.example'],
    ['an empty domain', 'ann@'],
    ['two @', 'ann@acme@example'],
    ['a doubled @', 'ann@@acme.example'],
    ['a local part starting with a dot', '.ann@acme.example'],
    ['a local part ending with a dot', 'ann.@acme.example'],
    ['a local part starting with a plus', '+ann@acme.example'],
    ['white space inside', 'ann andersson@acme.example'],
    ['a quoted local part', '"ann"@acme.example'],
    ['a non-ASCII letter', 'åsa@acme.example'],
    ['a domain label starting with a hyphen', 'ann@-acme.example'],
    ['a domain label ending with a hyphen', 'ann@acme-.example'],
    ['an empty domain label', 'ann@acme..example'],
    ['a trailing dot on the domain', 'ann@acme.example.'],
    ['an underscore in the domain', 'ann@acme_corp.example'],
    ['a port', 'ann@acme.example:5222'],
    ['a resource part (XMPP full JID)', 'ann@acme.example/laptop'],
    ['a 65-character local part', `${local64}a@acme.example`],
    ['a 64-character domain label', `ann@${label63}a.example`],
    [
      'a domain longer than 253 characters',
      `ann@${[label63, label63, label63, label63].join('.')}`,
    ],
  ])('rejects %s', (_what, input) => {
    expect(parseAddress(input)).toBeUndefined()
  })
})

describe('normalizeAddress', () => {
  it('returns the normalized address', () => {
    expect(normalizeAddress(' ANN@Acme.Example ')).toBe('ann@acme.example')
  })

  it('is idempotent', () => {
    const once = normalizeAddress('Ann+X@Acme.Example')
    expect(normalizeAddress(once)).toBe(once)
  })

  it('throws NRV_ADDRESS_INVALID (400) for a malformed address', () => {
    const error = (() => {
      try {
        normalizeAddress('not an address')
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(NarvaroError)
    expect(error).toMatchObject({ code: 'NRV_ADDRESS_INVALID', status: 400 })
    expect((error as NarvaroError).message).toContain('"not an address"')
  })

  it('quotes at most the first 100 characters of the rejected input', () => {
    const input = `${'x'.repeat(150)}@`
    expect(() => normalizeAddress(input)).toThrow(`"${'x'.repeat(100)}"`)
  })
})

describe('isValidDomain', () => {
  it.each(['acme.example', 'ACME.example', ' acme.example ', 'localhost', 'xn--sa-ula.example'])(
    'accepts %j',
    (domain) => {
      expect(isValidDomain(domain)).toBe(true)
    },
  )

  it.each([
    '',
    'acme..example',
    '-acme.example',
    'acme.example.',
    'ann@acme.example',
    'acme example',
  ])('rejects %j', (domain) => {
    expect(isValidDomain(domain)).toBe(false)
  })
})

describe('domainOf', () => {
  it('is the part after the @', () => {
    expect(domainOf('ann@acme.example')).toBe('acme.example')
  })
})

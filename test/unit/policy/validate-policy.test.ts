// Validation and normalization of organization policies and personal settings before they are stored;
// unit tests.
import { describe, expect, it } from 'vitest'
import { NarvaroError } from '../../../src/core/errors.js'
import type {
  OrganizationPolicy,
  PersonalRule,
  PriorityAccess,
} from '../../../src/core/policy/policy-model.js'
import { defaultOrganizationPolicy } from '../../../src/core/policy/policy-model.js'
import {
  priorityAccessLimits,
  validateOrganizationPolicy,
  validatePersonalSettings,
} from '../../../src/core/policy/validate-policy.js'
import { t0 } from '../../support/publications.js'

const rule = (id: string, rest: Partial<PersonalRule> = {}): PersonalRule => ({
  id,
  conditions: { everyone: true },
  subscription: 'allow',
  grant: {},
  ...rest,
})

const codeOf = (action: () => unknown): string | undefined => {
  try {
    action()
    return undefined
  } catch (error) {
    return error instanceof NarvaroError ? error.code : 'not a NarvaroError'
  }
}

describe('validatePersonalSettings', () => {
  it('normalizes addresses, except lists and domains of rules', () => {
    const settings = validatePersonalSettings({
      rules: [
        rule('r', {
          conditions: {
            addresses: [' Bob@ACME.example '],
            except: ['EVE@acme.example'],
            domains: [' Other.Example '],
          },
        }),
      ],
    })
    expect(settings.rules?.[0]?.conditions).toEqual({
      addresses: ['bob@acme.example'],
      except: ['eve@acme.example'],
      domains: ['other.example'],
    })
  })

  it('normalizes and deduplicates the watchers the person appears offline to', () => {
    expect(
      validatePersonalSettings({ appearOfflineTo: ['Bob@acme.example', 'bob@ACME.example'] }),
    ).toEqual({
      appearOfflineTo: ['bob@acme.example'],
    })
  })

  it('rejects a malformed address with NRV_ADDRESS_INVALID', () => {
    expect(codeOf(() => validatePersonalSettings({ appearOfflineTo: ['bob'] }))).toBe(
      'NRV_ADDRESS_INVALID',
    )
    expect(
      codeOf(() =>
        validatePersonalSettings({ rules: [rule('r', { conditions: { addresses: ['@x'] } })] }),
      ),
    ).toBe('NRV_ADDRESS_INVALID')
  })

  it('rejects a rule whose validity ends before it starts, or at the same moment', () => {
    const span = (validFrom: number, validUntil: number) =>
      codeOf(() =>
        validatePersonalSettings({
          rules: [rule('r', { conditions: { everyone: true, validFrom, validUntil } })],
        }),
      )
    expect(span(t0, t0)).toBe('NRV_VALIDATION')
    expect(span(t0 + 1, t0)).toBe('NRV_VALIDATION')
    expect(span(t0, t0 + 1)).toBeUndefined()
  })

  it('rejects two rules with the same id', () => {
    expect(codeOf(() => validatePersonalSettings({ rules: [rule('r'), rule('r')] }))).toBe(
      'NRV_VALIDATION',
    )
  })

  it('leaves settings without rules as they are', () => {
    expect(validatePersonalSettings({ shareOutsideWorkingHours: true })).toEqual({
      shareOutsideWorkingHours: true,
    })
  })
})

describe('validatePersonalSettings: priority access', () => {
  const access = (entry: Record<string, unknown>) =>
    validatePersonalSettings({ priorityAccess: [entry as unknown as PriorityAccess] })

  it('normalizes and deduplicates addresses, groups and kinds (kinds in their usual order)', () => {
    expect(
      access({
        addresses: ['Bob@ACME.example', ' bob@acme.example'],
        groups: [' g-sales ', 'g-sales'],
        kinds: ['voice', 'im', 'voice'],
      }),
    ).toEqual({
      priorityAccess: [
        { addresses: ['bob@acme.example'], groups: ['g-sales'], kinds: ['im', 'voice'] },
      ],
    })
  })

  it('rejects an entry that names nobody, or no kind, or an unknown kind', () => {
    expect(codeOf(() => access({ kinds: ['voice'] }))).toBe('NRV_VALIDATION')
    expect(codeOf(() => access({ addresses: [], groups: [], kinds: ['voice'] }))).toBe(
      'NRV_VALIDATION',
    )
    expect(codeOf(() => access({ addresses: ['bob@acme.example'], kinds: [] }))).toBe(
      'NRV_VALIDATION',
    )
    expect(codeOf(() => access({ addresses: ['bob@acme.example'], kinds: ['fax'] }))).toBe(
      'NRV_VALIDATION',
    )
    expect(codeOf(() => access({ groups: [' '], kinds: ['im'] }))).toBe('NRV_VALIDATION')
  })

  it('rejects a malformed address with NRV_ADDRESS_INVALID', () => {
    expect(codeOf(() => access({ addresses: ['bob'], kinds: ['im'] }))).toBe('NRV_ADDRESS_INVALID')
  })

  it('bounds the list and each entry', () => {
    const one = { addresses: ['bob@acme.example'], kinds: ['im' as const] }
    const many = (n: number, make: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => make(i))
    const entries = (n: number) =>
      validatePersonalSettings({ priorityAccess: Array.from({ length: n }, () => one) })
    expect(codeOf(() => entries(priorityAccessLimits.entries))).toBeUndefined()
    expect(codeOf(() => entries(priorityAccessLimits.entries + 1))).toBe('NRV_VALIDATION')
    const addresses = many(priorityAccessLimits.addresses + 1, (i) => `u${i}@acme.example`)
    expect(codeOf(() => access({ addresses, kinds: ['im'] }))).toBe('NRV_VALIDATION')
    const groups = many(priorityAccessLimits.groups + 1, (i) => `g${i}`)
    expect(codeOf(() => access({ groups, kinds: ['im'] }))).toBe('NRV_VALIDATION')
  })
})

describe('validateOrganizationPolicy', () => {
  it('accepts the default policy as it is', () => {
    expect(validateOrganizationPolicy(defaultOrganizationPolicy)).toEqual(defaultOrganizationPolicy)
  })

  it.each([
    ['the personal scope', { contactScopes: ['personal' as const] }],
    ['single contact methods', { contactMethodIds: ['home-sms'] }],
  ])('rejects default rules that grant %s: only the person may', (_what, grant) => {
    const policy: OrganizationPolicy = {
      ...defaultOrganizationPolicy,
      defaultRules: [rule('r', { grant })],
    }
    expect(codeOf(() => validateOrganizationPolicy(policy))).toBe('NRV_VALIDATION')
  })
})

// The policy engine: organization defaults and ceilings, personal rules combined as in RFC 4745/5025
// (rules only grant, most permissive value wins), rule conditions, off-work and appear-offline; unit tests.
import { describe, expect, it } from 'vitest'
import {
  evaluatePolicy,
  everything,
  type PolicyInput,
  type PresentityParty,
  type WatcherParty,
} from '../../../src/core/policy/evaluate-policy.js'
import { nothing } from '../../../src/core/policy/permissions.js'
import {
  defaultOrganizationPolicy,
  type OrganizationPolicy,
  type PersonalRule,
  type RuleConditions,
} from '../../../src/core/policy/policy-model.js'
import { annAddress, hour, t0 } from '../../support/publications.js'

const ann: PresentityParty = {
  address: annAddress,
  organizationId: 'acme',
  timeZone: 'Europe/Stockholm',
  workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
  contactMethods: [
    { id: 'work-im', scope: 'work' },
    { id: 'home-sms', scope: 'personal' },
  ],
}
const bob: WatcherParty = { address: 'bob@acme.example', organizationId: 'acme', groups: ['sales'] }
const eve: WatcherParty = { address: 'eve@other.example', organizationId: 'other', groups: [] }
/** Saturday 2026-01-10 12:00 in Stockholm: outside Ann's working hours (t0 is inside them). */
const saturday = Date.UTC(2026, 0, 10, 11)

/** A policy whose ceilings let everything through, so that only the rules decide. */
const openPolicy: OrganizationPolicy = {
  defaultRules: [],
  colleagueCeiling: { subscription: 'allow', grant: { ...everything } },
  externalCeiling: { subscription: 'allow', grant: { ...everything } },
  offWorkOutsideHours: false,
}

const rule = (
  id: string,
  conditions: RuleConditions,
  rest: Partial<PersonalRule> = {},
): PersonalRule => ({
  id,
  conditions,
  subscription: 'allow',
  grant: {},
  ...rest,
})

const evaluate = (overrides: Partial<PolicyInput> = {}) =>
  evaluatePolicy({
    watcher: bob,
    presentity: ann,
    organizationPolicy: defaultOrganizationPolicy,
    settings: {},
    now: t0,
    ...overrides,
  })

const withRules = (rules: readonly PersonalRule[], overrides: Partial<PolicyInput> = {}) =>
  evaluate({ organizationPolicy: openPolicy, settings: { rules }, ...overrides })

const granted = { subscription: 'allow', appearOffline: false, offWork: false } as const

describe('evaluatePolicy with the default organization policy', () => {
  it('the owner sees everything', () => {
    expect(evaluate({ watcher: { ...bob, address: annAddress } })).toEqual(everything)
  })

  it('a colleague sees everything but personal contact methods and a location finer than the city', () => {
    expect(evaluate()).toEqual({
      ...everything,
      location: 'city',
      contactScopes: ['work'],
    })
  })

  it('someone of another organization gets nothing', () => {
    expect(evaluate({ watcher: eve })).toEqual(nothing)
  })

  it('outside working hours a colleague sees only that the person is off work', () => {
    expect(evaluate({ now: saturday }).offWork).toBe(true)
  })

  it('outside working hours a colleague sees the usual view when the person opted in', () => {
    expect(evaluate({ now: saturday, settings: { shareOutsideWorkingHours: true } }).offWork).toBe(
      false,
    )
  })

  it('a person without working hours is never off work', () => {
    expect(evaluate({ now: saturday, presentity: { ...ann, workingHours: [] } }).offWork).toBe(
      false,
    )
    const { workingHours: _hours, ...noHours } = ann
    expect(evaluate({ now: saturday, presentity: noHours }).offWork).toBe(false)
  })

  it('the person appears offline to the watchers they chose, and only to them', () => {
    const settings = { appearOfflineTo: ['bob@acme.example'] }
    expect(evaluate({ settings }).appearOffline).toBe(true)
    expect(
      evaluate({ settings, watcher: { ...bob, address: 'cid@acme.example' } }).appearOffline,
    ).toBe(false)
  })

  it('default rules never grant personal contact methods, whatever the organization wrote', () => {
    const policy: OrganizationPolicy = {
      ...defaultOrganizationPolicy,
      defaultRules: [
        rule(
          'sneaky',
          { ownOrganization: true },
          {
            grant: { contactScopes: ['work', 'personal'], contactMethodIds: ['home-sms'] },
          },
        ),
      ],
    }
    const permissions = evaluate({ organizationPolicy: policy })
    expect(permissions.contactScopes).toEqual(['work'])
    expect(permissions.contactMethodIds).toEqual([])
  })
})

describe('combining personal rules', () => {
  it('with no matching rule the most private answer holds', () => {
    expect(
      withRules([rule('r', { addresses: ['cid@acme.example'] }, { grant: { note: true } })]),
    ).toEqual(nothing)
  })

  it("the person's own rules replace the organization's defaults, even when empty", () => {
    expect(evaluate({ settings: { rules: [] } })).toEqual(nothing)
  })

  it('rules only grant: each permission takes its most permissive value', () => {
    const permissions = withRules([
      rule(
        'a',
        { everyone: true },
        { grant: { note: true, location: 'country', contactScopes: ['work'] } },
      ),
      rule(
        'b',
        { groups: ['sales'] },
        { grant: { mood: true, location: 'city', contactScopes: ['personal'] } },
      ),
      rule('c', { ownOrganization: true }, { grant: { note: false, location: 'none' } }),
    ])
    expect(permissions).toEqual({
      ...nothing,
      ...granted,
      note: true,
      mood: true,
      location: 'city',
      contactScopes: ['personal', 'work'],
    })
  })

  it.each([
    [['confirm', 'polite-block'], 'polite-block'],
    [['block', 'confirm'], 'confirm'],
    [['polite-block', 'allow'], 'allow'],
    [['block', 'allow'], 'allow'],
  ] as const)('subscription handlings %j combine to %s', (handlings, expected) => {
    const rules = handlings.map((subscription, i) =>
      rule(`r${i}`, { everyone: true }, { subscription }),
    )
    expect(withRules(rules).subscription).toBe(expected)
  })

  it('a matching rule without a subscription handling grants nothing on its own', () => {
    const permissions = withRules([
      { id: 'r', conditions: { everyone: true }, grant: { note: true } },
    ])
    expect(permissions).toEqual(nothing)
  })

  it('a rule that blocks cannot take away what another rule allows', () => {
    const permissions = withRules([
      rule('block', { addresses: ['bob@acme.example'] }, { subscription: 'block' }),
      rule('allow', { ownOrganization: true }, { grant: { activities: true } }),
    ])
    expect(permissions).toMatchObject({ subscription: 'allow', activities: true })
  })
})

describe('rule conditions', () => {
  const matches = (conditions: RuleConditions, overrides: Partial<PolicyInput> = {}) =>
    withRules([rule('r', conditions)], overrides).subscription === 'allow'

  it('a rule with no identity condition matches nobody', () => {
    expect(matches({})).toBe(false)
    expect(matches({ validFrom: t0 - hour })).toBe(false)
  })

  it('matches by address, group, organization, domain or everyone', () => {
    expect(matches({ addresses: ['bob@acme.example'] })).toBe(true)
    expect(matches({ groups: ['support', 'sales'] })).toBe(true)
    expect(matches({ groups: ['support'] })).toBe(false)
    expect(matches({ ownOrganization: true })).toBe(true)
    expect(matches({ ownOrganization: true }, { watcher: eve })).toBe(false)
    expect(matches({ domains: ['other.example'] }, { watcher: eve })).toBe(true)
    expect(matches({ domains: ['other.example'] })).toBe(false)
    expect(matches({ everyone: true }, { watcher: eve })).toBe(true)
  })

  it('except wins over every identity condition', () => {
    expect(matches({ everyone: true, except: ['bob@acme.example'] })).toBe(false)
    expect(matches({ everyone: true, except: ['bob@acme.example'] }, { watcher: eve })).toBe(true)
  })

  it('is valid from validFrom on, inclusive, and until validUntil, exclusive', () => {
    expect(matches({ everyone: true, validFrom: t0 })).toBe(true)
    expect(matches({ everyone: true, validFrom: t0 + 1 })).toBe(false)
    expect(matches({ everyone: true, validUntil: t0 + 1 })).toBe(true)
    expect(matches({ everyone: true, validUntil: t0 })).toBe(false)
  })

  it('can hold only inside or only outside the working hours', () => {
    expect(matches({ everyone: true, workingHours: 'inside' })).toBe(true)
    expect(matches({ everyone: true, workingHours: 'outside' })).toBe(false)
    expect(matches({ everyone: true, workingHours: 'inside' }, { now: saturday })).toBe(false)
    expect(matches({ everyone: true, workingHours: 'outside' }, { now: saturday })).toBe(true)
  })
})

describe('organization ceilings', () => {
  const allGrant = rule(
    'all',
    { everyone: true },
    {
      grant: { ...everything, contactMethodIds: ['work-im', 'home-sms'] },
    },
  )
  const capped = (policy: Partial<OrganizationPolicy>, watcher: WatcherParty = eve) =>
    evaluate({
      organizationPolicy: { ...openPolicy, ...policy },
      settings: { rules: [allGrant] },
      watcher,
    })

  it('cap every permission that rules grant', () => {
    const permissions = capped({
      externalCeiling: {
        subscription: 'allow',
        grant: { activities: true, location: 'country', contactScopes: ['work'] },
      },
    })
    expect(permissions).toEqual({
      ...nothing,
      ...granted,
      activities: true,
      location: 'country',
      contactScopes: ['work'],
      contactMethodIds: ['work-im'],
    })
  })

  it('cap the subscription handling', () => {
    expect(capped({ externalCeiling: { subscription: 'confirm', grant: {} } }).subscription).toBe(
      'confirm',
    )
  })

  it('a ceiling that blocks gives nothing at all', () => {
    expect(
      capped({ externalCeiling: { subscription: 'block', grant: { ...everything } } }),
    ).toEqual(nothing)
  })

  it('colleagues get the colleague ceiling, others the external one', () => {
    const policy = {
      colleagueCeiling: { subscription: 'allow' as const, grant: { note: true } },
      externalCeiling: { subscription: 'allow' as const, grant: { mood: true } },
    }
    expect(capped(policy, bob)).toMatchObject({ note: true, mood: false })
    expect(capped(policy, eve)).toMatchObject({ note: false, mood: true })
  })

  it('a single contact method survives only inside the scopes of the ceiling, and only if it exists', () => {
    const single = rule(
      'one',
      { everyone: true },
      { grant: { contactMethodIds: ['home-sms', 'gone'] } },
    )
    const evaluateSingle = (scopes: ('work' | 'personal')[]) =>
      evaluate({
        organizationPolicy: {
          ...openPolicy,
          externalCeiling: { subscription: 'allow', grant: { contactScopes: scopes } },
        },
        settings: { rules: [single] },
        watcher: eve,
      }).contactMethodIds
    expect(evaluateSingle(['work'])).toEqual([])
    expect(evaluateSingle(['work', 'personal'])).toEqual(['home-sms'])
  })
})

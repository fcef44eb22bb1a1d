// Property-based tests of the policy engine: for random organization policies, personal rules,
// presences and watchers, no view shows what the effective policy hides and no rule lifts a ceiling.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { aggregate } from '../../src/core/aggregation/aggregate.js'
import type {
  ContactMethod,
  Profile,
  Publication,
  WeeklyHours,
} from '../../src/core/model/presence-model.js'
import { computeView } from '../../src/core/policy/compute-view.js'
import type { PolicyInput } from '../../src/core/policy/evaluate-policy.js'
import { evaluatePolicy } from '../../src/core/policy/evaluate-policy.js'
import { subscriptionHandlings } from '../../src/core/policy/permissions.js'
import type {
  Ceiling,
  Grant,
  OrganizationPolicy,
  PersonalRule,
  PersonalSettings,
} from '../../src/core/policy/policy-model.js'

const runs = { numRuns: 3000 }
const now = Date.UTC(2026, 10, 24, 12, 0, 0)
const owner = 'pia@acme.example'
const watchers = ['ola@acme.example', 'eva@acme.example', 'kim@other.example', 'zed@far.example']
const groups = ['sales', 'support']
const granularities = ['none', 'country', 'city', 'exact'] as const
const order = (g: string) => granularities.indexOf(g as (typeof granularities)[number])

const contactMethods: readonly ContactMethod[] = [
  { id: 'cm-im', kind: 'im', address: 'pia@acme.example', rank: 1, scope: 'work' },
  { id: 'cm-work-phone', kind: 'phone', address: '+46 8 000 00', rank: 2, scope: 'work' },
  { id: 'cm-home-phone', kind: 'phone', address: '+46 70 HOME', rank: 3, scope: 'personal' },
  { id: 'cm-mail', kind: 'email', address: 'pia@home.example', rank: 4, scope: 'personal' },
]

const grantArb: fc.Arbitrary<Grant> = fc.record(
  {
    activities: fc.boolean(),
    note: fc.boolean(),
    mood: fc.boolean(),
    place: fc.boolean(),
    workLocation: fc.boolean(),
    freeBusy: fc.boolean(),
    location: fc.constantFrom(...granularities),
    timeZone: fc.boolean(),
    lastSeen: fc.boolean(),
    devices: fc.boolean(),
    contactScopes: fc.subarray(['work', 'personal'] as const),
    contactMethodIds: fc.subarray(contactMethods.map((m) => m.id)),
  },
  { requiredKeys: [] },
)

const ruleArb: fc.Arbitrary<PersonalRule> = fc.record({
  id: fc.uuid(),
  conditions: fc.record(
    {
      addresses: fc.subarray(watchers),
      groups: fc.subarray(groups),
      ownOrganization: fc.boolean(),
      domains: fc.subarray(['acme.example', 'other.example', 'far.example']),
      everyone: fc.boolean(),
      except: fc.subarray(watchers),
      validFrom: fc.integer({ min: now - 10_000, max: now + 10_000 }),
      workingHours: fc.constantFrom('inside' as const, 'outside' as const),
    },
    { requiredKeys: [] },
  ),
  subscription: fc.constantFrom(...subscriptionHandlings),
  grant: grantArb,
})

const ceilingArb: fc.Arbitrary<Ceiling> = fc.record({
  subscription: fc.constantFrom(...subscriptionHandlings),
  grant: grantArb,
})

const policyArb: fc.Arbitrary<OrganizationPolicy> = fc.record({
  defaultRules: fc.array(ruleArb, { maxLength: 3 }),
  colleagueCeiling: ceilingArb,
  externalCeiling: ceilingArb,
  offWorkOutsideHours: fc.boolean(),
})

const settingsArb: fc.Arbitrary<PersonalSettings> = fc.record(
  {
    rules: fc.array(ruleArb, { maxLength: 5 }),
    appearOfflineTo: fc.subarray(watchers),
    shareOutsideWorkingHours: fc.boolean(),
  },
  { requiredKeys: [] },
)

const publicationArb: fc.Arbitrary<Publication> = fc.record({
  source: fc.record({
    id: fc.constantFrom('laptop', 'phone', 'manual'),
    kind: fc.constantFrom('device' as const, 'manual' as const, 'phone' as const),
  }),
  state: fc.record(
    {
      availability: fc.constantFrom(
        'available' as const,
        'busy' as const,
        'away' as const,
        'invisible' as const,
      ),
      activities: fc.subarray([{ kind: 'in-a-call' as const }, { kind: 'focusing' as const }]),
      note: fc.constant({ text: 'secret note' }),
      mood: fc.constant('happy'),
      place: fc.constant('office'),
      workLocation: fc.constant({ mode: 'office' as const, site: 'Secret Lab' }),
      location: fc.constant({
        country: 'SE',
        city: 'Lund',
        latitude: 55.7,
        longitude: 13.2,
        accuracy: 5,
      }),
      device: fc.record({ capabilities: fc.subarray(['im', 'voice', 'phone'] as const) }),
    },
    { requiredKeys: [] },
  ),
  publishedAt: fc.constant(now - 1000),
  expiresAt: fc.integer({ min: now - 10, max: now + 100_000 }),
})

const scenarioArb = fc.record({
  policy: policyArb,
  settings: settingsArb,
  watcher: fc.constantFrom(...watchers),
  watcherGroups: fc.subarray(groups),
  workingHours: fc.constantFrom<WeeklyHours | undefined>(
    undefined,
    [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }],
    [{ days: ['sat'], start: '00:00', end: '01:00' }],
  ),
  publications: fc.array(publicationArb, { maxLength: 4 }),
  lastSeen: fc.option(fc.integer({ min: now - 100_000, max: now }), { nil: undefined }),
})

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

const inputOf = (s: Scenario): PolicyInput => ({
  watcher: {
    address: s.watcher,
    organizationId: s.watcher.endsWith('@acme.example') ? 'acme' : 'other',
    groups: s.watcherGroups,
  },
  presentity: {
    address: owner,
    organizationId: 'acme',
    timeZone: 'Europe/Stockholm',
    contactMethods,
    ...(s.workingHours ? { workingHours: s.workingHours } : {}),
  },
  organizationPolicy: s.policy,
  settings: s.settings,
  now,
})

const profileOf = (s: Scenario): Profile => ({
  address: owner,
  organizationId: 'acme',
  displayName: 'Pia',
  timeZone: 'Europe/Stockholm',
  contactMethods,
  ...(s.workingHours ? { workingHours: s.workingHours } : {}),
})

const viewOf = (s: Scenario) => {
  const permissions = evaluatePolicy(inputOf(s))
  const presence = aggregate(owner, s.publications, {
    now,
    idleAfterMs: 300_000,
    ...(s.lastSeen ? { lastSeen: s.lastSeen } : {}),
  })
  return { permissions, view: computeView({ presence, profile: profileOf(s), permissions, now }) }
}

describe('policy engine properties', () => {
  it('a view never contains a field that the effective permissions hide', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { permissions: p, view } = viewOf(s)
        const json = JSON.stringify(view)
        if (p.subscription !== 'allow' || p.appearOffline) {
          expect(Object.keys(view).sort()).toEqual(
            p.subscription === 'block'
              ? ['address', 'availability']
              : ['address', 'availability', 'displayName'],
          )
          expect(view.availability).toBe('offline')
          return
        }
        if (!p.activities && !p.offWork) expect(view.activities).toBeUndefined()
        if (!p.note) expect(json).not.toContain('secret note')
        if (!p.mood) expect(view.mood).toBeUndefined()
        if (!p.place) expect(view.place).toBeUndefined()
        if (!p.workLocation) expect(json).not.toContain('Secret Lab')
        if (!p.devices) expect(view.devices).toBeUndefined()
        if (!p.lastSeen) expect(view.lastSeen).toBeUndefined()
        if (!p.timeZone) expect(view.timeZone).toBeUndefined()
        if (order(p.location) < order('exact')) expect(view.location?.latitude).toBeUndefined()
        if (order(p.location) < order('city')) expect(view.location?.city).toBeUndefined()
        if (order(p.location) < order('country')) expect(view.location).toBeUndefined()
        for (const m of view.contactMethods ?? []) {
          const method = contactMethods.find((c) => c.address === m.address)!
          expect(
            p.contactScopes.includes(method.scope) || p.contactMethodIds.includes(method.id),
          ).toBe(true)
        }
        expect(view.availability).not.toBe('invisible')
      }),
      runs,
    )
  })

  it('no combination of personal rules lifts an organization ceiling', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = inputOf(s)
        const p = evaluatePolicy(input)
        const colleague = input.watcher.organizationId === 'acme'
        const ceiling = colleague ? s.policy.colleagueCeiling : s.policy.externalCeiling
        const c = ceiling.grant
        expect(subscriptionHandlings.indexOf(p.subscription)).toBeLessThanOrEqual(
          subscriptionHandlings.indexOf(ceiling.subscription),
        )
        for (const flag of [
          'activities',
          'note',
          'mood',
          'place',
          'workLocation',
          'freeBusy',
          'timeZone',
          'lastSeen',
          'devices',
        ] as const) {
          if (p[flag]) expect(c[flag]).toBe(true)
        }
        expect(order(p.location)).toBeLessThanOrEqual(order(c.location ?? 'none'))
        for (const scope of p.contactScopes) expect(c.contactScopes ?? []).toContain(scope)
        for (const id of p.contactMethodIds) {
          expect(c.contactScopes ?? []).toContain(contactMethods.find((m) => m.id === id)!.scope)
        }
      }),
      runs,
    )
  })

  it('personal contact methods reach a watcher only through a rule of the person', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const withoutOwnRules: Scenario = { ...s, settings: { ...s.settings, rules: undefined } }
        const { view } = viewOf(withoutOwnRules)
        expect(JSON.stringify(view)).not.toContain('HOME')
        expect(JSON.stringify(view)).not.toContain('pia@home.example')
      }),
      runs,
    )
  })

  it('outside working hours, without the opt-in, a watcher sees only "off work"', () => {
    const weekend = Date.UTC(2026, 10, 22, 12, 0, 0)
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = {
          ...inputOf({ ...s, workingHours: [{ days: ['mon'], start: '08:00', end: '17:00' }] }),
          now: weekend,
        }
        const p = evaluatePolicy(input)
        if (
          p.subscription !== 'allow' ||
          !s.policy.offWorkOutsideHours ||
          s.settings.shareOutsideWorkingHours
        )
          return
        expect(p.offWork).toBe(true)
        const presence = aggregate(owner, s.publications, { now: weekend, idleAfterMs: 300_000 })
        const view = computeView({ presence, profile: profileOf(s), permissions: p, now: weekend })
        if (!p.appearOffline) {
          expect(view).toEqual({
            address: owner,
            displayName: 'Pia',
            availability: 'away',
            activities: [{ kind: 'off-work' }],
          })
        }
      }),
      runs,
    )
  })

  it('the result does not depend on the order of rules, and is deterministic', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), (s, seed) => {
        const shuffle = <T extends { id: string }>(rules: readonly T[]) =>
          [...rules].sort(
            (x, y) => ((x.id.charCodeAt(0) * seed) % 7) - ((y.id.charCodeAt(0) * seed) % 7),
          )
        const settings = s.settings.rules
          ? { ...s.settings, rules: shuffle(s.settings.rules) }
          : s.settings
        const policy = { ...s.policy, defaultRules: shuffle(s.policy.defaultRules) }
        const a = evaluatePolicy(inputOf(s))
        const b = evaluatePolicy(inputOf({ ...s, settings, policy }))
        expect(b).toEqual(a)
        expect(evaluatePolicy(inputOf(s))).toEqual(a)
      }),
      runs,
    )
  })

  it('adding a rule never takes a permission away (rules only grant)', () => {
    fc.assert(
      fc.property(scenarioArb, ruleArb, (s, extra) => {
        const before = evaluatePolicy(
          inputOf({ ...s, settings: { ...s.settings, rules: s.settings.rules ?? [] } }),
        )
        const after = evaluatePolicy(
          inputOf({
            ...s,
            settings: { ...s.settings, rules: [...(s.settings.rules ?? []), extra] },
          }),
        )
        expect(subscriptionHandlings.indexOf(after.subscription)).toBeGreaterThanOrEqual(
          subscriptionHandlings.indexOf(before.subscription),
        )
        for (const flag of [
          'activities',
          'note',
          'mood',
          'place',
          'workLocation',
          'freeBusy',
          'timeZone',
          'lastSeen',
          'devices',
        ] as const) {
          if (before[flag] && before.subscription !== 'block') expect(after[flag]).toBe(true)
        }
        expect(order(after.location)).toBeGreaterThanOrEqual(order(before.location))
      }),
      runs,
    )
  })
})

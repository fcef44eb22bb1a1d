// Permissions: the most private answer, and the key under which watchers share one computed view;
// unit tests.
import { describe, expect, it } from 'vitest'
import {
  nothing,
  permissionsKey,
  subscriptionHandlings,
  type Permissions,
} from '../../../src/core/policy/permissions.js'
import { allPermissions } from '../../support/publications.js'

describe('subscriptionHandlings', () => {
  it('are ordered from most private to most permissive', () => {
    expect(subscriptionHandlings).toEqual(['block', 'confirm', 'polite-block', 'allow'])
  })
})

describe('nothing', () => {
  it('is the most private answer: blocked, offline, no field, no contact method', () => {
    expect(nothing).toEqual({
      subscription: 'block',
      activities: false,
      note: false,
      mood: false,
      place: false,
      workLocation: false,
      freeBusy: false,
      location: 'none',
      timeZone: false,
      lastSeen: false,
      devices: false,
      contactScopes: [],
      contactMethodIds: [],
      appearOffline: true,
      offWork: false,
    })
  })
})

describe('permissionsKey', () => {
  it('does not depend on the order of contact scopes or contact method ids', () => {
    expect(
      permissionsKey({
        ...allPermissions,
        contactScopes: ['personal', 'work'],
        contactMethodIds: ['b', 'a'],
      }),
    ).toBe(
      permissionsKey({
        ...allPermissions,
        contactScopes: ['work', 'personal'],
        contactMethodIds: ['a', 'b'],
      }),
    )
  })

  const changes: readonly [string, Partial<Permissions>][] = [
    ['subscription', { subscription: 'confirm' }],
    ['activities', { activities: false }],
    ['note', { note: false }],
    ['mood', { mood: false }],
    ['place', { place: false }],
    ['location', { location: 'city' }],
    ['timeZone', { timeZone: false }],
    ['lastSeen', { lastSeen: false }],
    ['devices', { devices: false }],
    ['contactScopes', { contactScopes: ['work'] }],
    ['contactMethodIds', { contactMethodIds: ['home-sms'] }],
    ['appearOffline', { appearOffline: true }],
    ['offWork', { offWork: true }],
  ]

  it.each(changes)('tells apart permissions that differ only in %s', (_field, change) => {
    expect(permissionsKey({ ...allPermissions, ...change })).not.toBe(
      permissionsKey(allPermissions),
    )
  })

  it('gives every combination of flags its own key', () => {
    const flags = [
      'activities',
      'note',
      'mood',
      'place',
      'timeZone',
      'lastSeen',
      'devices',
      'appearOffline',
      'offWork',
    ] as const
    const keys = new Set<string>()
    for (let mask = 0; mask < 2 ** flags.length; mask++) {
      const permissions: Record<(typeof flags)[number], boolean> = { ...nothing }
      flags.forEach((flag, bit) => (permissions[flag] = (mask & (1 << bit)) !== 0))
      keys.add(permissionsKey({ ...nothing, ...permissions }))
    }
    expect(keys.size).toBe(2 ** flags.length)
  })

  it('keeps a contact scope apart from a contact method id of the same name', () => {
    expect(permissionsKey({ ...nothing, contactScopes: ['work'] })).not.toBe(
      permissionsKey({ ...nothing, contactMethodIds: ['work'] }),
    )
  })
})

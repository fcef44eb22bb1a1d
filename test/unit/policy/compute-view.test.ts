// The view: what one watcher sees of a presence under its permissions (DESIGN.md, "Privacy"); unit
// tests of hidden fields, location coarsening, contact methods, usable hours and hidden presences.
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../../src/core/aggregation/presence.js'
import type { Profile } from '../../../src/core/model/presence-model.js'
import { computeView, coarsenLocation, type View } from '../../../src/core/policy/compute-view.js'
import { evaluatePolicy } from '../../../src/core/policy/evaluate-policy.js'
import { nothing, type Permissions } from '../../../src/core/policy/permissions.js'
import { defaultOrganizationPolicy } from '../../../src/core/policy/policy-model.js'
import {
  aggregateAt,
  allPermissions,
  annAddress,
  annProfile,
  calendar,
  device,
  hour,
  manual,
  manualNote,
  noGrants,
  permissionsWith,
  t0,
} from '../../support/publications.js'

const fullLocation = {
  country: 'SE',
  city: 'Stockholm',
  latitude: 59.33,
  longitude: 18.07,
  accuracy: 20,
}
const seen = t0 - hour

/** Ann at her laptop, in a meeting, with every field published. */
const busyAnn: Presence = aggregateAt([
  device('laptop', {
    availability: 'available',
    activities: [{ kind: 'focusing' }],
    note: { text: 'Deep in the budget' },
    mood: 'focused',
    place: 'office',
    location: fullLocation,
    device: { name: 'ThinkPad', kind: 'desktop', capabilities: ['im', 'voice', 'phone'] },
  }),
  calendar({ activities: [{ kind: 'in-a-meeting' }] }),
])
const offlineAnn = aggregateAt([], t0, seen)

const viewOf = (
  presence: Presence,
  permissions: Permissions,
  options: { readonly profile?: Profile; readonly now?: number } = {},
): View =>
  computeView({
    presence,
    permissions,
    profile: options.profile ?? annProfile(),
    now: options.now ?? t0,
  })

const colleague = permissionsWith({ contactScopes: ['work'] })
const bare = { address: annAddress, displayName: 'Ann Andersson', availability: 'offline' }
const reachableOf = (view: View) =>
  Object.fromEntries((view.contactMethods ?? []).map((m) => [m.kind, m.reachable]))

describe('computeView', () => {
  it('a colleague sees everything but personal contact methods', () => {
    expect(viewOf(busyAnn, colleague)).toStrictEqual({
      address: annAddress,
      displayName: 'Ann Andersson',
      availability: 'busy',
      activities: [{ kind: 'focusing' }, { kind: 'in-a-meeting' }],
      note: { text: 'Deep in the budget' },
      mood: 'focused',
      place: 'office',
      location: fullLocation,
      timeZone: 'Europe/Stockholm',
      devices: [
        {
          id: 'laptop',
          name: 'ThinkPad',
          kind: 'desktop',
          capabilities: ['im', 'voice', 'phone'],
          availability: 'available',
          idle: false,
        },
      ],
      contactMethods: [
        { kind: 'im', address: 'work-im:ann', rank: 1, scope: 'work', reachable: true },
        { kind: 'voice', address: 'work-voice:ann', rank: 2, scope: 'work', reachable: true },
        { kind: 'email', address: 'work-email:ann', rank: 3, scope: 'work', reachable: true },
      ],
    })
  })

  it('with the personal scope the personal contact methods show too', () => {
    const view = viewOf(busyAnn, allPermissions)
    expect(view.contactMethods?.map((m) => m.scope)).toEqual([
      'work',
      'work',
      'work',
      'personal',
      'personal',
    ])
    expect(reachableOf(view)).toEqual({
      im: true,
      voice: true,
      email: true,
      phone: true,
      sms: true,
    })
  })

  it('someone of another organization, under the default policy, gets only the address and offline', () => {
    const stranger = evaluatePolicy({
      watcher: { address: 'eve@other.example', organizationId: 'other', groups: [] },
      presentity: {
        address: annAddress,
        organizationId: 'acme',
        timeZone: 'Europe/Stockholm',
        contactMethods: [],
      },
      organizationPolicy: defaultOrganizationPolicy,
      settings: {},
      now: t0,
    })
    expect(viewOf(busyAnn, stranger)).toStrictEqual({
      address: annAddress,
      availability: 'offline',
    })
  })

  it('a blocked watcher gets only the address and offline', () => {
    expect(viewOf(busyAnn, nothing)).toStrictEqual({ address: annAddress, availability: 'offline' })
    expect(viewOf(offlineAnn, nothing)).toStrictEqual({
      address: annAddress,
      availability: 'offline',
    })
    expect(viewOf(busyAnn, permissionsWith({ subscription: 'block' }))).toStrictEqual({
      address: annAddress,
      availability: 'offline',
    })
  })

  it.each(['polite-block', 'confirm'] as const)(
    '%s gives only what a watcher without grants sees of someone really offline',
    (subscription) => {
      expect(viewOf(busyAnn, permissionsWith({ subscription }))).toStrictEqual(bare)
      expect(viewOf(busyAnn, permissionsWith({ subscription }))).toStrictEqual(
        viewOf(offlineAnn, noGrants),
      )
    },
  )

  it('appearOffline gives only the bare offline view, not even the last seen', () => {
    expect(viewOf(busyAnn, permissionsWith({ appearOffline: true }))).toStrictEqual(bare)
    expect(viewOf(offlineAnn, permissionsWith({ appearOffline: true }))).toStrictEqual(bare)
  })

  it('outside working hours (offWork) a watcher sees only that the person is off work', () => {
    expect(viewOf(busyAnn, permissionsWith({ offWork: true }))).toStrictEqual({
      address: annAddress,
      displayName: 'Ann Andersson',
      availability: 'away',
      activities: [{ kind: 'off-work' }],
    })
  })

  it('a block or appearOffline wins over offWork', () => {
    expect(
      viewOf(busyAnn, permissionsWith({ offWork: true, subscription: 'block' })),
    ).toStrictEqual({
      address: annAddress,
      availability: 'offline',
    })
    expect(viewOf(busyAnn, permissionsWith({ offWork: true, appearOffline: true }))).toStrictEqual(
      bare,
    )
  })

  it('never shows invisible: a visible availability is passed on, anything hidden is offline', () => {
    for (const availability of [
      'available',
      'busy',
      'do-not-disturb',
      'be-right-back',
      'away',
    ] as const) {
      expect(
        viewOf(aggregateAt([device('laptop', { availability })]), allPermissions).availability,
      ).toBe(availability)
    }
    const invisible = aggregateAt([manual({ availability: 'invisible' }), device()], t0, seen)
    expect(invisible.availability).toBe('invisible')
    expect(viewOf(invisible, allPermissions).availability).toBe('offline')
  })
})

describe('a hidden presentity', () => {
  const invisibleAnn = aggregateAt(
    [manual({ availability: 'invisible' }), manualNote('away this week'), device()],
    t0,
    seen,
  )

  it('an invisible person is shown offline with the last seen frozen when they went hidden', () => {
    const view = viewOf(invisibleAnn, allPermissions)
    expect(view).toMatchObject({ ...bare, lastSeen: seen, note: { text: 'away this week' } })
  })

  it('an invisible person shows no activities, location, mood, place, time zone or devices', () => {
    const presence = aggregateAt(
      [
        manual({ availability: 'invisible' }),
        device('laptop', {
          activities: [{ kind: 'in-a-call' }],
          location: fullLocation,
          mood: 'm',
          place: 'p',
          timeZone: 'Asia/Tokyo',
          device: { capabilities: [] },
        }),
      ],
      t0,
      seen,
    )
    expect(Object.keys(viewOf(presence, allPermissions)).sort()).toEqual([
      'address',
      'availability',
      'contactMethods',
      'displayName',
      'lastSeen',
    ])
  })

  it('the last seen shows only to a watcher allowed to see it', () => {
    expect(viewOf(offlineAnn, allPermissions).lastSeen).toBe(seen)
    expect(viewOf(offlineAnn, permissionsWith({ lastSeen: false })).lastSeen).toBeUndefined()
  })

  it('the note set by hand shows only to a watcher allowed to see notes', () => {
    const offline = aggregateAt([manualNote('parental leave')])
    expect(viewOf(offline, allPermissions).note?.text).toBe('parental leave')
    expect(viewOf(offline, permissionsWith({ note: false })).note).toBeUndefined()
  })

  it('someone offline is reachable by the asynchronous kinds only (email, sms)', () => {
    expect(reachableOf(viewOf(offlineAnn, allPermissions))).toEqual({
      im: false,
      voice: false,
      email: true,
      phone: false,
      sms: true,
    })
  })

  // BUG: computeView marks contact methods reachable from `presence.reachable`, which for an
  // invisible presence still holds the live devices' capabilities; the watcher sees `offline` but
  // `im`/`voice` reachable, and so can tell invisible from a real offline (email only).
  it('a watcher cannot tell an invisible person from an offline one by what is reachable', () => {
    const invisible = aggregateAt(
      [
        manual({ availability: 'invisible' }),
        device('laptop', { device: { capabilities: ['im', 'voice'] } }),
      ],
      t0,
      seen,
    )
    const offline = aggregateAt([manual({ availability: 'invisible' })], t0, seen)
    expect(reachableOf(viewOf(invisible, colleague))).toEqual({
      im: false,
      voice: false,
      email: true,
    })
    expect(viewOf(invisible, colleague)).toStrictEqual(viewOf(offline, colleague))
  })
})

describe('each permission hides its field', () => {
  it.each(['activities', 'note', 'mood', 'place', 'timeZone', 'devices'] as const)(
    'without %s the field is absent',
    (field) => {
      expect(viewOf(busyAnn, allPermissions)[field]).toBeDefined()
      const withheld: Permissions = { ...allPermissions, [field]: false }
      expect(field in viewOf(busyAnn, withheld)).toBe(false)
    },
  )

  it('without any contact scope or single grant there are no contact methods at all', () => {
    expect('contactMethods' in viewOf(busyAnn, permissionsWith({ contactScopes: [] }))).toBe(false)
  })

  it('with only the personal scope only personal contact methods show', () => {
    const view = viewOf(busyAnn, permissionsWith({ contactScopes: ['personal'] }))
    expect(view.contactMethods?.map((m) => m.kind)).toEqual(['phone', 'sms'])
  })

  it('a contact method granted by id shows even when its scope is not granted', () => {
    const view = viewOf(
      busyAnn,
      permissionsWith({ contactScopes: ['work'], contactMethodIds: ['home-sms'] }),
    )
    expect(view.contactMethods?.map((m) => m.kind)).toEqual(['im', 'voice', 'email', 'sms'])
  })

  it('the time zone falls back to the profile when no source publishes one', () => {
    expect(viewOf(busyAnn, allPermissions).timeZone).toBe('Europe/Stockholm')
    const travelling = aggregateAt([device('laptop', { timeZone: 'America/New_York' })])
    expect(viewOf(travelling, allPermissions).timeZone).toBe('America/New_York')
  })
})

describe('location by granularity', () => {
  it.each([
    ['none', undefined],
    ['country', { country: 'SE' }],
    ['city', { country: 'SE', city: 'Stockholm' }],
    ['exact', fullLocation],
  ] as const)('at %s the view shows %j', (granularity, expected) => {
    expect(viewOf(busyAnn, permissionsWith({ location: granularity })).location).toEqual(expected)
  })

  it('coarsenLocation keeps nothing finer than allowed and drops an empty result', () => {
    expect(coarsenLocation(undefined, 'exact')).toBeUndefined()
    expect(coarsenLocation(fullLocation, 'none')).toBeUndefined()
    expect(coarsenLocation({ latitude: 1, longitude: 2 }, 'city')).toBeUndefined()
    expect(coarsenLocation({ city: 'Oslo', accuracy: 5 }, 'country')).toBeUndefined()
    expect(coarsenLocation({ city: 'Oslo', accuracy: 5 }, 'city')).toEqual({ city: 'Oslo' })
    expect(coarsenLocation({ latitude: 0, longitude: 0 }, 'exact')).toEqual({
      latitude: 0,
      longitude: 0,
    })
  })
})

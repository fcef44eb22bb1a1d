// Priority access: by which kinds a watcher may still reach a person in do-not-disturb; unit tests.
import { describe, expect, it } from 'vitest'
import type { WatcherParty } from '../../../src/core/policy/evaluate-policy.js'
import type { PersonalSettings } from '../../../src/core/policy/policy-model.js'
import { validatePersonalSettings } from '../../../src/core/policy/validate-policy.js'
import { priorityAccessFor } from '../../../src/core/reach/priority-access-for.js'

const bob: WatcherParty = {
  address: 'bob@acme.example',
  organizationId: 'acme',
  groups: ['g-sales'],
}
const eve: WatcherParty = { address: 'eve@acme.example', organizationId: 'acme', groups: [] }

const settings: PersonalSettings = {
  priorityAccess: [
    { addresses: ['bob@acme.example'], kinds: ['voice'] },
    { groups: ['g-sales', 'g-boards'], kinds: ['sms', 'im'] },
  ],
}

describe('priorityAccessFor', () => {
  it('a watcher named by address and in a listed group gets the union of the kinds', () => {
    expect(priorityAccessFor(settings, bob)).toEqual(['im', 'voice', 'sms'])
  })

  it('a watcher in a listed group gets that entry’s kinds', () => {
    expect(priorityAccessFor(settings, { ...eve, groups: ['g-boards'] })).toEqual(['im', 'sms'])
  })

  it('a watcher who is not listed has no priority access', () => {
    expect(priorityAccessFor(settings, eve)).toEqual([])
    expect(priorityAccessFor({}, bob)).toEqual([])
  })

  it('addresses match after validation normalized them', () => {
    const stored = validatePersonalSettings({
      priorityAccess: [{ addresses: [' BOB@acme.example '], kinds: ['voice'] }],
    })
    expect(priorityAccessFor(stored, bob)).toEqual(['voice'])
  })

  it('a watcher of another organization is matched by address like anyone else', () => {
    const partner: WatcherParty = {
      address: 'bob@acme.example',
      organizationId: 'other',
      groups: [],
    }
    expect(priorityAccessFor(settings, partner)).toEqual(['voice'])
  })
})

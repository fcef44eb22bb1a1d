// Unit: the policy directory's revision moves with every change permissions are decided on, so that
// permissions decided before a change are never taken as current after it (the hub's `watch`).
import { describe, expect, it } from 'vitest'
import { PolicyDirectory } from '../../../src/app/policy/policy-directory.js'
import { defaultOrganizationPolicy } from '../../../src/core/policy/policy-model.js'

describe('the policy revision', () => {
  it('changes with each change of a policy, settings, groups, approvals, profiles and time', () => {
    const policies = new PolicyDirectory()
    const changes: (() => void)[] = [
      () => policies.setPolicy('acme', defaultOrganizationPolicy),
      () => policies.setSettings('ann@acme.example', { rules: [] }),
      () => policies.setGroups('bob@acme.example', ['sales']),
      () => policies.setApproved('ann@acme.example', 'bob@acme.example', true),
      () => policies.forget('bob@acme.example'),
      () => policies.apply({ kind: 'groups', address: 'cy@acme.example', groups: [] }),
      () => policies.changed({ kind: 'presentity', address: 'ann@acme.example' }),
    ]
    const seen = new Set([policies.revision])
    for (const change of changes) {
      change()
      expect(seen.has(policies.revision)).toBe(false)
      seen.add(policies.revision)
    }
    // Reading changes nothing.
    const now = policies.revision
    policies.groupsOf('bob@acme.example')
    policies.settingsOf('ann@acme.example')
    expect(policies.revision).toBe(now)
  })
})

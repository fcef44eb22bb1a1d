// The block list in the owner's rules: blocking adds a `block` rule and an except to every other
// rule (so an allow for the whole organization cannot outvote it); unblocking undoes exactly that.
import { describe, expect, it } from 'vitest'
import { block, blockedAddresses, unblock } from '../../src/core/policy/block-list.js'
import type { PersonalRule } from '../../src/core/policy/policy-model.js'

const colleagues: PersonalRule = {
  id: 'colleagues',
  conditions: { ownOrganization: true, except: ['old@acme.example'] },
  subscription: 'allow',
  grant: { note: true },
}

describe('the block list as rules', () => {
  it('blocks with a block rule and an except in every other rule, keeping their own excepts', () => {
    const settings = block({ shareOutsideWorkingHours: true }, [colleagues], ['eve@acme.example'])
    expect(settings.shareOutsideWorkingHours).toBe(true)
    expect(settings.rules).toEqual([
      {
        ...colleagues,
        conditions: { ownOrganization: true, except: ['old@acme.example', 'eve@acme.example'] },
      },
      {
        id: 'blocked',
        conditions: { addresses: ['eve@acme.example'] },
        subscription: 'block',
        grant: {},
      },
    ])
    expect(blockedAddresses(settings.rules!)).toEqual(['eve@acme.example'])
  })

  it('unblocks one, then everyone, back to the rules as they were', () => {
    const twice = block({}, [colleagues], ['eve@acme.example', 'mal@acme.example'])
    const one = unblock(twice, twice.rules!, ['eve@acme.example'])
    expect(blockedAddresses(one.rules!)).toEqual(['mal@acme.example'])
    expect(one.rules![0]!.conditions.except).toEqual(['old@acme.example', 'mal@acme.example'])
    const none = unblock(one, one.rules!)
    expect(none.rules).toEqual([colleagues])
  })

  it('blocking twice lists an address once', () => {
    const once = block({}, [colleagues], ['eve@acme.example'])
    const again = block(once, once.rules!, ['eve@acme.example'])
    expect(again).toEqual(once)
  })
})

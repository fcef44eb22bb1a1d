// Hidden looks exactly like missing: one decision, one reply.
import { describe, expect, it } from 'vitest'
import { nothing, subscriptionHandlings } from '../../../src/core/policy/permissions.js'
import {
  isHiddenFrom,
  presentityNotFound,
} from '../../../src/core/subscriptions/hidden-presentity.js'

describe('isHiddenFrom', () => {
  it('hides an address nobody has and a block, and nothing else', () => {
    expect(isHiddenFrom(undefined)).toBe(true)
    const hidden = subscriptionHandlings.filter((subscription) =>
      isHiddenFrom({ ...nothing, subscription }),
    )
    expect(hidden).toEqual(['block'])
  })
})

describe('presentityNotFound', () => {
  it('is NRV_NOT_FOUND whose text depends on the address only', () => {
    const error = presentityNotFound('amy@acme.example')
    expect(error.code).toBe('NRV_NOT_FOUND')
    expect(error.message.replace('amy@acme.example', 'X')).toBe(
      presentityNotFound('zed@other.example').message.replace('zed@other.example', 'X'),
    )
  })

  it('is status 404 and carries details when asked to, with the same text', () => {
    const addresses = ['a@acme.example', 'b@acme.example']
    const error = presentityNotFound(addresses.join(', '), { details: { addresses } })
    expect(error.status).toBe(404)
    expect(error.details).toEqual({ addresses })
    expect(error.message).toBe(presentityNotFound(addresses.join(', ')).message)
  })
})

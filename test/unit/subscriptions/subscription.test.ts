// What a watcher is told when it subscribes, for each subscription handling; unit tests.
import { describe, expect, it } from 'vitest'
import { decideSubscription } from '../../../src/core/subscriptions/subscription.js'

describe('decideSubscription', () => {
  it('an allowed watcher is subscribed at once', () => {
    expect(decideSubscription('allow')).toEqual({ outcome: 'subscribed', state: 'active' })
  })

  it('a politely blocked watcher is told exactly what an allowed one is told', () => {
    expect(decideSubscription('polite-block')).toEqual(decideSubscription('allow'))
  })

  it('a watcher that needs confirmation waits, pending', () => {
    expect(decideSubscription('confirm')).toEqual({ outcome: 'subscribed', state: 'pending' })
  })

  it('a blocked watcher is told the presentity does not exist', () => {
    expect(decideSubscription('block')).toEqual({ outcome: 'not-found' })
  })
})

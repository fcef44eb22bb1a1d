// Over the real services: the subscription decisions of docs/privacy.md — a denial sticks, an
// active watcher falls back to pending under `confirm` unless approved, a later block voids an
// approval, and a `workingHours` condition for a person without working hours.
import { afterEach, describe, expect, it } from 'vitest'
import type { PersonalRule } from '../../src/core/policy/policy-model.js'
import { servicesWithAmyAndBob } from '../support/services-fixture.js'
import { stopServices } from '../../src/app/services.js'

type World = Awaited<ReturnType<typeof servicesWithAmyAndBob>>
let world: World | undefined
afterEach(async () => {
  if (!world) return
  const { services } = world
  await stopServices(services)
  await services.store.close()
  world = undefined
})

const rule = (
  subscription: PersonalRule['subscription'],
  extra: Partial<PersonalRule> = {},
): PersonalRule => ({
  id: 'bob',
  conditions: { addresses: ['bob@acme.example'] },
  subscription,
  grant: { note: true },
  ...extra,
})

const start = async () => {
  world = await servicesWithAmyAndBob()
  const { services, amy, bob } = world
  await services.presence.publishSource(
    amy,
    { id: 'laptop', kind: 'device' },
    { availability: 'available', note: { text: 'hi' } },
  )
  const rules = (...r: PersonalRule[]) => services.privacy.setPrivacy(amy, { rules: r })
  const bobSees = async () => (await services.subscriptions.viewOf(bob, amy.address)).view
  const stateOfBob = async () =>
    (await services.privacy.watchers(amy)).find((w) => w.watcherAddress === bob.address)?.state
  return { services, amy, bob, rules, bobSees, stateOfBob }
}

const offline = { address: 'amy@acme.example', displayName: 'amy', availability: 'offline' }

describe('subscription decisions', () => {
  it('a denied watcher who asks again stays denied and sees the pending view', async () => {
    const { services, amy, bob, rules, bobSees, stateOfBob } = await start()
    await rules(rule('confirm'))
    expect((await services.subscriptions.subscribe(bob, amy.address)).state).toBe('pending')
    await services.privacy.deny(amy, bob.address)
    const again = await services.subscriptions.subscribe(bob, amy.address)
    expect(again.state).toBe('denied')
    expect(again.view).toEqual(offline)
    expect(await bobSees()).toEqual(offline)
    expect(await stateOfBob()).toBe('denied')
  })

  it('an active watcher whose rule becomes confirm falls back to pending unless approved', async () => {
    const { services, amy, bob, rules, bobSees, stateOfBob } = await start()
    await rules(rule('allow'))
    expect((await services.subscriptions.subscribe(bob, amy.address)).state).toBe('active')
    expect(await bobSees()).toMatchObject({ availability: 'available', note: { text: 'hi' } })
    await rules(rule('confirm'))
    expect(await bobSees()).toEqual(offline)
    expect(await stateOfBob()).toBe('pending')
    await services.privacy.approve(amy, bob.address)
    await rules(rule('confirm', { grant: {} }))
    expect(await bobSees()).toMatchObject({ availability: 'available' })
    expect(await stateOfBob()).toBe('active')
  })

  it('a later block voids an approval: lifting the block leaves the watcher pending', async () => {
    const { services, amy, bob, rules, bobSees, stateOfBob } = await start()
    await rules(rule('confirm'))
    await services.subscriptions.subscribe(bob, amy.address)
    await services.privacy.approve(amy, bob.address)
    expect(await bobSees()).toMatchObject({ availability: 'available' })
    for (const blocking of [[rule('polite-block')], []]) {
      await rules(...blocking)
      expect(await bobSees()).toEqual(offline)
      await rules(rule('confirm'))
      expect(await bobSees()).toEqual(offline)
      expect(await stateOfBob()).toBe('pending')
      await services.privacy.approve(amy, bob.address)
      expect(await bobSees()).toMatchObject({ availability: 'available' })
    }
  })

  it('a workingHours condition treats a person without working hours as always inside them', async () => {
    const { rules, bobSees } = await start()
    await rules(
      rule('allow', { conditions: { addresses: ['bob@acme.example'], workingHours: 'inside' } }),
    )
    expect(await bobSees()).toMatchObject({ availability: 'available', note: { text: 'hi' } })
    await rules(
      rule('allow', { conditions: { addresses: ['bob@acme.example'], workingHours: 'outside' } }),
    )
    expect(await bobSees()).toEqual(offline)
  })
})

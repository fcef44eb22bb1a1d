// A person's time zone is checked by the user service, whichever transport or tool asks.
import { afterEach, describe, expect, it } from 'vitest'
import { stopServices } from '../../../src/app/services.js'
import { servicesWithAmyAndBob } from '../../support/services-fixture.js'

type World = Awaited<ReturnType<typeof servicesWithAmyAndBob>>
let world: World | undefined

afterEach(async () => {
  if (world) {
    await stopServices(world.services)
    await world.store.close()
  }
  world = undefined
})

describe('time zones of users', () => {
  it('refuses an unknown time zone in a profile change and keeps the old one', async () => {
    world = await servicesWithAmyAndBob()
    const { services, amy } = world
    await expect(
      services.users.updateProfile(amy, { timeZone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({
      code: 'NRV_VALIDATION',
      message: 'unknown time zone: Mars/Olympus',
    })
    expect((await world.store.getUser(amy.id))?.timeZone).toBe('UTC')
    const moved = await services.users.updateProfile(amy, { timeZone: 'Europe/Stockholm' })
    expect(moved.timeZone).toBe('Europe/Stockholm')
  })

  it('refuses an unknown time zone for a new user', async () => {
    world = await servicesWithAmyAndBob()
    const { services, store, amy } = world
    const admin = await store.updateUser(amy.id, { role: 'admin' })
    await expect(
      services.users.add(admin!, { address: 'cid', timeZone: 'Nowhere/Else' }),
    ).rejects.toMatchObject({ code: 'NRV_VALIDATION' })
    expect(await store.getUserByAddress('cid@acme.example')).toBeUndefined()
  })
})

// The real services on an in-memory SQLite store with a FixedClock at t0, and Amy and Bob of one
// organization, for property tests that run many small scenarios without a server.
import { InProcessChangeBus } from '../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import { noPasswordHash } from '../../src/app/shared/no-password.js'
import { defaultConfig } from '../../src/server/config.js'
import { t0 } from './publications.js'
import { expect } from 'vitest'
import type { User } from '../../src/ports/store.js'
import { createServices, stopServices } from '../../src/app/services.js'

/** Acme in `store`, and how to add one of its people (their profile loaded into `profiles`). */
export const acmeIn = async (
  store: Awaited<ReturnType<typeof openSqliteStore>>,
  profiles: { refresh(user: User): Promise<unknown> },
) => {
  const organization = await store.createOrganization({
    domain: 'acme.example',
    name: 'Acme',
    createdAt: t0,
  })
  const person = async (name: string) => {
    const user = await store.createUser({
      organizationId: organization.id,
      address: `${name}@acme.example`,
      displayName: name,
      role: 'member',
      timeZone: 'UTC',
      passwordHash: noPasswordHash,
      createdAt: t0,
    })
    await profiles.refresh(user)
    return user
  }
  return { organization, person }
}

export const servicesWithAmyAndBob = async () => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const clock = new FixedClock(t0)
  /** Errors of background work; a scenario expects none. */
  const errors: unknown[] = []
  const services = createServices({
    store,
    bus: new InProcessChangeBus(),
    clock,
    settings: defaultConfig,
    onError: (e) => errors.push(e),
  })
  const { person } = await acmeIn(store, services.profiles)
  return { store, clock, errors, services, amy: await person('amy'), bob: await person('bob') }
}

export type AmyBobAndEve = Awaited<ReturnType<typeof servicesWithAmyAndBob>> & { eve: User }

/**
 * Runs `check` on the real services with Amy and Bob of Acme and Eve of another organization (Beta),
 * expects no background error, and stops everything after.
 */
export const withAmyBobAndEve = async (check: (world: AmyBobAndEve) => Promise<void>) => {
  const world = await servicesWithAmyAndBob()
  const { services, store } = world
  const beta = await store.createOrganization({
    domain: 'beta.example',
    name: 'Beta',
    createdAt: t0,
  })
  const eve = await store.createUser({
    organizationId: beta.id,
    address: 'eve@beta.example',
    displayName: 'eve',
    role: 'member',
    timeZone: 'UTC',
    passwordHash: noPasswordHash,
    createdAt: t0,
  })
  await services.profiles.refresh(eve)
  try {
    await check({ ...world, eve })
    expect(world.errors).toEqual([])
  } finally {
    await stopServices(services)
    await store.close()
  }
}

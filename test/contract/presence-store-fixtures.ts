// Shared values and helpers of the PresenceStore contract suite; contract tests.
import { expect } from 'vitest'
import { isNarvaroError } from '../../src/core/errors.js'
import type { ErrorCode } from '../../src/core/errors.js'
import type {
  ContactMethod,
  Publication,
  WeeklyHours,
} from '../../src/core/model/presence-model.js'
import type { NewUser, Organization, PresenceStore, User } from '../../src/ports/store.js'

/** What every contract test starts from: a migrated store, one organization and two members. */
export interface StoreFixture {
  readonly store: PresenceStore
  readonly acme: Organization
  readonly alice: User
  readonly bob: User
}

export const t0 = 1_700_000_000_000
export const hour = 3_600_000

export const newUser = (organization: Organization, local: string): NewUser => ({
  organizationId: organization.id,
  address: `${local}@${organization.domain}`,
  displayName: local[0]!.toUpperCase() + local.slice(1),
  role: 'member',
  timeZone: 'Europe/Stockholm',
  passwordHash: `argon2-of-${local}`,
  createdAt: t0,
})

/** Migrates `store` and adds the fixture's organization and its two members. */
export const seedStore = async <S extends PresenceStore>(
  store: S,
): Promise<StoreFixture & { readonly store: S }> => {
  await store.migrate()
  const acme = await store.createOrganization({
    domain: 'acme.example',
    name: 'Acme',
    createdAt: t0,
  })
  const alice = await store.createUser(newUser(acme, 'alice'))
  const bob = await store.createUser(newUser(acme, 'bob'))
  return { store, acme, alice, bob }
}

export const rejection = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  )

export const expectCode = async (promise: Promise<unknown>, code: ErrorCode): Promise<void> => {
  const error = await rejection(promise)
  expect(isNarvaroError(error) ? error.code : error).toBe(code)
}

export const officeHours: WeeklyHours = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' },
]

export const contactMethods: readonly ContactMethod[] = [
  {
    id: 'cm-2',
    kind: 'voice',
    address: '+46 8 123 45',
    rank: 2,
    scope: 'work',
    hours: officeHours,
  },
  { id: 'cm-1', kind: 'im', address: 'alice@acme.example', rank: 1, scope: 'work' },
  { id: 'cm-3', kind: 'sms', address: '+46 70 111 22', rank: 3, scope: 'personal', hours: [] },
]

export const fullPublication: Publication = {
  source: { id: 'manual', kind: 'manual' },
  state: {
    availability: 'do-not-disturb',
    activities: [{ kind: 'focusing' }, { kind: 'custom', text: 'writing the design note' }],
    note: { text: 'Back at 3', expiresAt: t0 + 2 * hour },
    location: { country: 'SE', city: 'Stockholm', latitude: 59.33, longitude: 18.07, accuracy: 50 },
    device: { name: 'laptop', kind: 'desktop', capabilities: ['im', 'video'] },
  },
  publishedAt: t0,
  expiresAt: t0 + hour,
  version: 7,
  lastActiveAt: t0 - 1_000,
  idle: false,
}

export const notePublication: Publication = {
  source: { id: 'note', kind: 'manual' },
  state: { note: { text: 'On leave' } },
  publishedAt: t0,
  expiresAt: Number.MAX_SAFE_INTEGER,
}

// Users added straight through the store, each with a token issued by the real AuthService: for tests
// that need fresh people fast, without argon2 work per person (a real password is hashed once per
// process), and the admin's token without a sign-in. Integration and contract tests.
import { noPasswordHash } from '../../src/app/shared/no-password.js'
import type { NarvaroServices } from '../../src/app/services.js'
import type { NewUser } from '../../src/ports/store.js'
import { domain as acme, passwordOf } from './server-harness.js'

/** The organization of `domain`, created (with its policy loaded) when there is none yet. */
const organizationOf = async (services: NarvaroServices, domain: string): Promise<string> => {
  const { store, clock, policies } = services
  const known = (await store.listOrganizations()).find((o) => o.domain === domain)
  if (known) return known.id
  const created = await store.createOrganization({ domain, name: domain, createdAt: clock.now() })
  await policies.loadOrganization(store, created.id)
  return created.id
}

/** What the store keeps of a password: its argon2 hash and SCRAM keys. */
type PasswordRecord = Pick<NewUser, 'passwordHash' | 'scram'>

/**
 * The record of each password, computed once in this process: a hash verifies in any store, so
 * tests that need people with real passwords pay argon2 once per password, not once per server.
 */
const records = new Map<string, Promise<PasswordRecord>>()
const recordOf = (services: NarvaroServices, password: string): Promise<PasswordRecord> => {
  let record = records.get(password)
  if (!record) {
    record = services.auth.hasher.record(password)
    records.set(password, record)
    record.catch(() => records.delete(password))
  }
  return record
}

/**
 * Adds members (`name@domain`, acme's by default) and returns a token of each, by name. With
 * `passwords`, each can sign in with `passwordOf(name)` (REST, XMPP, the web app), as after
 * `addUsers`; without, they have no password.
 */
export const addUsersDirectly = async (
  services: NarvaroServices,
  names: readonly string[],
  options: { domain?: string; passwords?: boolean } = {},
): Promise<Record<string, string>> => {
  const { domain = acme, passwords = false } = options
  const organizationId = await organizationOf(services, domain)
  const tokens: Record<string, string> = {}
  for (const name of names) {
    const user = await services.store.createUser({
      organizationId,
      address: `${name}@${domain}`,
      displayName: name,
      role: 'member',
      timeZone: 'UTC',
      ...(passwords
        ? await recordOf(services, passwordOf(name))
        : { passwordHash: noPasswordHash }),
      createdAt: services.clock.now(),
    })
    await services.profiles.refresh(user)
    tokens[name] = (await services.auth.issueToken(user, { name: 'test' })).secret
  }
  return tokens
}

/** A token of the first admin (`admin@<domain>`), issued without signing in. */
export const adminTokenDirectly = async (
  services: NarvaroServices,
  domain = acme,
): Promise<string> => {
  const admin = await services.store.getUserByAddress(`admin@${domain}`)
  if (!admin) throw new Error(`no admin@${domain}`)
  return (await services.auth.issueToken(admin, { name: 'test' })).secret
}

/**
 * What `addUsers` gives (the admin's token and each new member's) without its sign-ins: for tests
 * of anything but signing in and passwords. With `passwords`, each can sign in with
 * `passwordOf(name)`.
 */
export const addUsersFast = async (
  services: NarvaroServices,
  names: readonly string[],
  options: { passwords?: boolean } = {},
): Promise<{ admin: string; tokens: Record<string, string> }> => ({
  admin: await adminTokenDirectly(services),
  tokens: await addUsersDirectly(services, names, options),
})

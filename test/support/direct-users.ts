// Users added straight through the store, each with a token issued by the real AuthService: for tests
// that need fresh people fast, without argon2 work per person (and the admin's token without a
// sign-in). Integration and contract tests.
import { noPasswordHash } from '../../src/app/shared/no-password.js'
import type { NarvaroServices } from '../../src/app/services.js'
import { domain as acme } from './server-harness.js'

/** The organization of `domain`, created (with its policy loaded) when there is none yet. */
const organizationOf = async (services: NarvaroServices, domain: string): Promise<string> => {
  const { store, clock, policies } = services
  const known = (await store.listOrganizations()).find((o) => o.domain === domain)
  if (known) return known.id
  const created = await store.createOrganization({ domain, name: domain, createdAt: clock.now() })
  await policies.loadOrganization(store, created.id)
  return created.id
}

/** Adds members (`name@domain`, acme's by default) and returns a token of each, by name. */
export const addUsersDirectly = async (
  services: NarvaroServices,
  names: readonly string[],
  domain = acme,
): Promise<Record<string, string>> => {
  const organizationId = await organizationOf(services, domain)
  const tokens: Record<string, string> = {}
  for (const name of names) {
    const user = await services.store.createUser({
      organizationId,
      address: `${name}@${domain}`,
      displayName: name,
      role: 'member',
      timeZone: 'UTC',
      passwordHash: noPasswordHash,
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
 * What `addUsers` gives (the admin's token and each new member's), without its argon2 work: for tests
 * of anything but signing in and passwords.
 */
export const addUsersFast = async (
  services: NarvaroServices,
  names: readonly string[],
): Promise<{ admin: string; tokens: Record<string, string> }> => ({
  admin: await adminTokenDirectly(services),
  tokens: await addUsersDirectly(services, names),
})

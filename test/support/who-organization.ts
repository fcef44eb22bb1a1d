// An organization for properties of team availability over the real services: people and teams by
// directory import, a policy, contact methods, privacy settings, approvals and presences, each
// through its service (fast-check sketches from `arbitraries`).
import { expect } from 'vitest'
import { InProcessChangeBus } from '../../src/adapters/bus/in-process/in-process-bus.js'
import { FixedClock } from '../../src/adapters/clock/fixed-clock.js'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import { noPasswordHash } from '../../src/app/shared/no-password.js'
import type { NarvaroServices, NarvaroStore } from '../../src/app/services.js'
import { createServices, stopServices } from '../../src/app/services.js'
import { isNarvaroError } from '../../src/core/errors.js'
import type { PersonalRule, PersonalSettings } from '../../src/core/policy/policy-model.js'
import type { Availability, ContactKind } from '../../src/core/model/presence-model.js'
import { computeView, type View } from '../../src/core/policy/compute-view.js'
import type { Permissions } from '../../src/core/policy/permissions.js'
import { checkReach } from '../../src/core/reach/check-reach.js'
import { matchesReachFilter, type ReachFilter } from '../../src/core/reach/matches-reach-filter.js'
import { priorityAccessFor } from '../../src/core/reach/priority-access-for.js'
import { rankContactMethods } from '../../src/core/reach/rank-contact-methods.js'
import type { User } from '../../src/ports/store.js'
import { defaultConfig } from '../../src/server/config.js'
import {
  methodAddress,
  methodTokens,
  organizationDomain,
  personAddress,
  type OrganizationSketch,
} from './arbitraries.js'
import { t0 } from './publications.js'

export interface Organization {
  readonly services: NarvaroServices
  readonly sketch: OrganizationSketch
  readonly users: readonly User[]
  /** A user of another organization (`beta.example`), whom only `everyone` rules name. */
  readonly outsider: User
  readonly teamIds: ReadonlyMap<string, string>
  /** The settings as stored (normalized), by address. */
  readonly settings: Map<string, PersonalSettings>
  readonly errors: unknown[]
  readonly clock: FixedClock
}

const newUser = (store: NarvaroStore, organizationId: string, address: string) =>
  store.createUser({
    organizationId,
    address,
    displayName: 'Admin',
    role: 'admin',
    timeZone: 'UTC',
    passwordHash: noPasswordHash,
    createdAt: t0,
  })

/** Group names in rules and priority access become group ids, method tokens method ids. */
export const withIds = (
  settings: PersonalSettings,
  teamIds: ReadonlyMap<string, string>,
  methodIds: ReadonlyMap<string, string>,
): PersonalSettings => {
  const group = (name: string) => teamIds.get(name) ?? `gone-${name}`
  const rule = ({ conditions: c, grant: g, ...r }: PersonalRule): PersonalRule => ({
    ...r,
    conditions: { ...c, ...(c.groups ? { groups: c.groups.map(group) } : {}) },
    grant: {
      ...g,
      ...(g.contactMethodIds
        ? { contactMethodIds: g.contactMethodIds.flatMap((t) => methodIds.get(t) ?? []) }
        : {}),
    },
  })
  const priorityAccess = settings.priorityAccess?.map((e) => ({
    ...e,
    groups: (e.groups ?? []).map(group),
  }))
  return {
    ...settings,
    ...(settings.rules ? { rules: settings.rules.map(rule) } : {}),
    ...(priorityAccess ? { priorityAccess } : {}),
  }
}

/** The people and teams by directory import, then the policy, as an admin sets them. */
export const createOrganization = async (sketch: OrganizationSketch): Promise<Organization> => {
  const store = await openSqliteStore({ file: ':memory:' })
  await store.migrate()
  const errors: unknown[] = []
  const clock = new FixedClock(t0)
  const bus = new InProcessChangeBus()
  const services = createServices({
    store,
    bus,
    clock,
    settings: defaultConfig,
    onError: (e) => errors.push(e),
  })
  const organization = (domain: string) =>
    store.createOrganization({ domain, name: domain, createdAt: t0 })
  const acme = await organization(organizationDomain)
  const admin = await newUser(store, acme.id, personAddress(0))
  const outsider = await newUser(store, (await organization('beta.example')).id, 'eve@beta.example')
  const rows = sketch.people.map(({ displayName, timeZone, teams, workingHours }, i) => {
    return { address: personAddress(i), displayName, timeZone, teams: [...teams], workingHours }
  })
  const report = await services.directory.import(admin, { rows }, { dryRun: false })
  expect(report.problems).toEqual([])
  const teamIds = new Map((await services.groups.list(admin)).map((g) => [g.name, g.id]))
  const users = await Promise.all(rows.map((r) => services.users.get(admin, r.address)))
  if (sketch.policy) await services.privacy.setOrganizationPolicy(admin, sketch.policy)
  return { services, sketch, users, outsider, teamIds, settings: new Map(), errors, clock }
}

/** A blocked watcher cannot ask, so there is nothing to approve: both answer NRV_NOT_FOUND. */
const unlessHidden = (error: unknown) => {
  if (!isNarvaroError(error) || error.code !== 'NRV_NOT_FOUND') throw error
}

/** Contact methods, privacy settings, approvals and presences, each through its service. */
export const furnish = async (org: Organization): Promise<void> => {
  const { services, sketch, users } = org
  for (const [i, person] of sketch.people.entries()) {
    const methods = person.contactMethods.map((m, k) => ({
      ...m,
      address: methodAddress(i, k, m.kind),
    }))
    const stored = await services.users.replaceContactMethods(users[i]!, methods)
    const idOf = (address: string) => stored.find((s) => s.address === address)!.id
    const methodIds = new Map(methods.map((m, k) => [methodTokens[k]!, idOf(m.address)]))
    if (!person.settings) continue
    const settings = withIds(person.settings, org.teamIds, methodIds)
    org.settings.set(users[i]!.address, await services.privacy.setPrivacy(users[i]!, settings))
  }
  for (const [watcher, owner] of sketch.approvals) {
    if (watcher === owner) continue
    await services.subscriptions
      .subscribe(users[watcher]!, users[owner]!.address)
      .catch(unlessHidden)
    await services.privacy.approve(users[owner]!, users[watcher]!.address).catch(unlessHidden)
  }
  for (const [i, person] of sketch.people.entries()) {
    for (const { source, capabilities, ...p } of person.publications) {
      await services.presence.publishSource(users[i]!, source, { ...p, device: { capabilities } })
    }
    if (person.manual) await services.presence.setManual(users[i]!, person.manual)
  }
}

/** Builds the organization, runs `check` in it, and always shuts the services down. */
export const inOrganization = async (
  sketch: OrganizationSketch,
  check: (org: Organization) => Promise<void>,
): Promise<void> => {
  const org = await createOrganization(sketch)
  const { services } = org
  try {
    await furnish(org)
    await check(org)
    expect(org.errors).toEqual([])
  } finally {
    await stopServices(services)
    await services.store.close()
  }
}

export interface Expected {
  readonly address: string
  readonly permissions: Permissions
  readonly view: View
  readonly priority: readonly ContactKind[]
}

/**
 * What the asker sees of each other member, computed here: the permissions the policy gives, a
 * block read as a polite block (as team answers do), the one view function, and priority access
 * from the stored settings and the teams the sketch puts the asker in (or, after changes, the
 * settings and groups given).
 */
export const viewsOf = (
  org: Organization,
  askerIndex: number,
  now: Partial<Pick<Organization, 'settings'>> & { readonly groups?: readonly string[] } = {},
): Expected[] => {
  const { services, users, sketch } = org
  const asker = users[askerIndex]!
  const groups =
    now.groups ?? sketch.people[askerIndex]!.teams.map((name) => org.teamIds.get(name)!)
  const settings = now.settings ?? org.settings
  const watcher = { address: asker.address, organizationId: asker.organizationId, groups }
  const at = services.clock.now()
  return users
    .filter((u) => u.address !== asker.address)
    .map((u) => {
      const snapshot = services.engine.snapshot(u.address)!
      const permissions = services.policies.permissionsFor(asker, snapshot.profile, at)
      const shown: Permissions =
        permissions.subscription === 'block'
          ? { ...permissions, subscription: 'polite-block' }
          : permissions
      const view = computeView({ ...snapshot, permissions: shown, now: at })
      const priority = priorityAccessFor(settings.get(u.address) ?? {}, watcher)
      return { address: u.address, permissions, view, priority }
    })
}

const availabilityOrder: readonly Availability[] = [
  'available',
  'be-right-back',
  'busy',
  'away',
  'do-not-disturb',
  'offline',
]
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The answer `who` should give: the views that pass, reachable first, then by availability, then by name. */
export const expectedWho = (expected: readonly Expected[], filter: ReachFilter, now: number) =>
  expected
    .filter((e) => matchesReachFilter(e.view, filter, { now, priority: e.priority }))
    .map(({ address, view, priority }) => {
      const best = rankContactMethods(view, now)[0]
      const reachableNow =
        best !== undefined && checkReach(view, best.kind, { now, priority }).reachable
      return { address, view, ...(best ? { best } : {}), reachableNow }
    })
    .sort(
      (a, b) =>
        Number(b.reachableNow) - Number(a.reachableNow) ||
        availabilityOrder.indexOf(a.view.availability) -
          availabilityOrder.indexOf(b.view.availability) ||
        byText(a.view.displayName ?? a.address, b.view.displayName ?? b.address) ||
        byText(a.address, b.address),
    )

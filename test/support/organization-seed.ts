// Two organizations on one running server: acme (the harness's) with something of every kind, and
// globex with an admin and a member, seeded through the store; for the organization-boundary test.
import { weeklySync } from './calendar-files.js'
import type { Harness } from './server-harness.js'
import { addUsers, api, domain, login } from './server-harness.js'

export const otherDomain = 'globex.example'

/** Ids of acme's things, by the kind of thing a route's `{id}` names. */
export interface AcmeIds {
  readonly group: string
  readonly integration: string
  readonly webhook: string
  readonly calendar: string
  readonly schedule: string
  readonly gathering: string
  readonly watch: string
  readonly token: string
}

export interface Seeded {
  readonly acme: { readonly admin: string; readonly amy: string; readonly bo: string }
  readonly globex: { readonly admin: string; readonly member: string }
  readonly ids: AcmeIds
}

const created = async (
  url: string,
  request: { path: string; token: string; body: unknown },
): Promise<Record<string, unknown>> => {
  const reply = await api(url, request)
  if (reply.status >= 300) {
    throw new Error(`seeding ${request.path} failed: ${reply.status} ${JSON.stringify(reply.body)}`)
  }
  return reply.body
}

const idOf = (body: Record<string, unknown>, key?: string): string => {
  const holder = (key ? body[key] : body) as { id?: unknown }
  if (typeof holder.id !== 'string') throw new Error(`no id in ${JSON.stringify(body)}`)
  return holder.id
}

/** Globex, through the store: there is no REST route that creates an organization. */
const seedGlobex = async (harness: Harness): Promise<Seeded['globex']> => {
  const { store } = harness.server.services
  const now = harness.clock.now()
  const organization = await store.createOrganization({
    domain: otherDomain,
    name: 'Globex',
    createdAt: now,
  })
  const tokens: Record<string, string> = {}
  for (const role of ['admin', 'member'] as const) {
    const address = `${role}@${otherDomain}`
    const password = `${role}-password-long`
    await store.createUser({
      organizationId: organization.id,
      address,
      displayName: role,
      role,
      timeZone: 'UTC',
      passwordHash: await harness.server.services.auth.hasher.hash(password),
      createdAt: now,
    })
    tokens[role] = await login(harness.url, address, password)
  }
  return { admin: tokens['admin']!, member: tokens['member']! }
}

const seedAcmeThings = async (
  url: string,
  tokens: { admin: string; amy: string; now: number },
): Promise<AcmeIds> => {
  const { admin, amy, now } = tokens
  const bo = `bo@${domain}`
  const post = (path: string, token: string, body: unknown) => created(url, { path, token, body })
  const group = await post('/v1/groups', admin, { name: 'ops', members: [`amy@${domain}`, bo] })
  await post('/v1/me/contact-lists', amy, { name: 'friends', members: [bo] })
  const webhook = await post('/v1/webhooks', amy, {
    url: 'https://hooks.acme.example/narvaro',
    addresses: [bo],
    events: ['presence'],
  })
  // Off, so no delivery attempt changes it while the test runs.
  await api(url, {
    method: 'PATCH',
    path: `/v1/webhooks/${idOf(webhook)}`,
    token: amy,
    body: { enabled: false },
  })
  const integration = await post('/v1/integrations', admin, { name: 'pbx', kinds: ['phone'] })
  const calendar = await post('/v1/me/calendars', amy, { name: 'work', ics: weeklySync })
  const schedule = await post('/v1/me/schedule', amy, {
    name: 'focus',
    set: { availability: 'do-not-disturb' },
    when: { once: { startsAt: now + 3_600_000, endsAt: now + 7_200_000 } },
  })
  const gathering = await post('/v1/gatherings', amy, {
    addresses: [bo],
    topic: 'Review',
    inviteLater: false,
  })
  const watch = await post('/v1/me/notify-when-available', amy, {
    address: bo,
    expiresInSeconds: 3600,
  })
  const token = await post('/v1/auth/tokens', amy, { name: 'ci' })
  return {
    group: idOf(group),
    integration: idOf(integration, 'integration'),
    webhook: idOf(webhook),
    calendar: idOf(calendar, 'calendar'),
    schedule: idOf(schedule),
    gathering: idOf(gathering),
    watch: idOf(watch),
    token: idOf(token, 'tokenInfo'),
  }
}

/** Acme with Amy and Bo and one thing of every kind (Amy's mostly), and globex's two users. */
export const seedTwoOrganizations = async (harness: Harness): Promise<Seeded> => {
  const { url } = harness
  const { admin, tokens } = await addUsers(url, ['amy', 'bo'])
  const amy = tokens['amy']!
  const bo = tokens['bo']!
  await api(url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/laptop',
    token: amy,
    body: { availability: 'available', device: { capabilities: ['im'] } },
  })
  await created(url, { path: '/v1/subscriptions', token: bo, body: { address: `amy@${domain}` } })
  const ids = await seedAcmeThings(url, { admin, amy, now: harness.clock.now() })
  return { acme: { admin, amy, bo }, globex: await seedGlobex(harness), ids }
}

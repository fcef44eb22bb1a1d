// Organization boundaries: every operation of the OpenAPI document, called by an admin and by a
// member of another organization with acme's real ids and addresses, answers exactly as for ids and
// addresses that do not exist, and acme's data is unchanged afterwards.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/harness-fixture.js'
import type { AcmeIds, Seeded } from '../support/organization-seed.js'
import { otherDomain, seedTwoOrganizations } from '../support/organization-seed.js'
import type { ApiReply } from '../support/server-harness.js'
import { api, domain } from '../support/server-harness.js'

const server = useServer()

/** What a route's parameters, query and body name: acme's real things, or things that do not exist. */
interface Target {
  readonly ids: AcmeIds
  readonly address: string
  readonly list: string
  readonly source: string
}

interface Probe {
  /** Which of acme's things `{id}` names. */
  readonly id?: keyof AcmeIds
  readonly query?: (t: Target) => string
  readonly body?: (t: Target, now: number) => unknown
  /** The operation names nothing of acme: it is called once, and acme's data is checked at the end. */
  readonly own?: true
  /** The body is what GET of the same path answers the caller now (a whole-document PUT). */
  readonly current?: true
}

/** Operations that are not walked, each with its reason. */
const excluded: Readonly<Record<string, string>> = {
  'POST /v1/auth/login': 'takes credentials, not a caller of an organization',
  'POST /v1/integrations/events':
    "an integration's own token; integration-sources tests keep events inside its organization",
  'GET /v1/events': 'a server-sent event stream, not one reply; sse tests cover what it shows',
  'GET /v1/availability/live': 'a server-sent event stream; GET /v1/availability is walked',
  'GET /v1/me/privacy/pres-rules':
    "XML of the caller's own rules only; GET /v1/me/privacy is walked",
  'GET /healthz': 'operations: no organization data',
  'GET /readyz': 'operations: no organization data',
  'GET /metrics': 'operations: no organization data',
}

const hour = 3_600_000
const own: Probe = { own: true }
const members = (t: Target) => ({ members: [t.address] })

/** Every walked operation, with a plausible valid request. */
const probes: Readonly<Record<string, Probe>> = {
  'GET /v1/auth/tokens': own,
  'POST /v1/auth/tokens': { own: true, body: () => ({ name: 'probe' }) },
  'DELETE /v1/auth/tokens/{id}': { id: 'token' },
  'GET /v1/users': own,
  'POST /v1/users': { body: (t) => ({ address: t.address.replace('@', '-new@') }) },
  'GET /v1/users/{address}': {},
  'DELETE /v1/users/{address}': {},
  'PUT /v1/users/{address}/password': { body: () => ({}) },
  'PUT /v1/users/{address}/sip-password': { body: () => ({ password: 'a long sip secret 42' }) },
  'DELETE /v1/users/{address}/sip-password': {},
  'PUT /v1/me/sip-password': { own: true, body: () => ({ password: 'a long sip secret 42' }) },
  'DELETE /v1/me/sip-password': own,
  // A JSON body where XML is expected: refused, and it concerns only the caller.
  'PUT /v1/me/privacy/pres-rules': { own: true, body: () => ({}) },
  'GET /v1/users/{address}/directory': {},
  'PATCH /v1/users/{address}/directory': { body: () => ({ title: 'Intruder', tags: ['x'] }) },
  'GET /v1/me': own,
  'PATCH /v1/me': { own: true, body: () => ({ displayName: 'Probe' }) },
  // A wrong current password: nothing changes, and it concerns only the caller.
  'PUT /v1/me/password': {
    own: true,
    body: () => ({ currentPassword: 'not the password', newPassword: 'a long new passphrase 9' }),
  },
  'GET /v1/me/contact-methods': own,
  'PUT /v1/me/contact-methods': { own: true, body: () => [] },
  'GET /v1/me/presence': own,
  'PUT /v1/me/presence/sources/{sourceId}': { body: () => ({ availability: 'busy' }) },
  'DELETE /v1/me/presence/sources/{sourceId}': {},
  'PUT /v1/me/presence/manual': { own: true, body: () => ({ availability: 'away' }) },
  'DELETE /v1/me/presence/manual': own,
  'PUT /v1/me/presence/note': { own: true, body: () => ({ text: 'probe' }) },
  'DELETE /v1/me/presence/note': own,
  'PUT /v1/me/presence/work-location': { own: true, body: () => ({ mode: 'office' }) },
  'DELETE /v1/me/presence/work-location': own,
  'GET /v1/presence/{address}': {},
  'GET /v1/subscriptions': own,
  'POST /v1/subscriptions': { body: (t) => ({ address: t.address }) },
  'DELETE /v1/subscriptions/{address}': {},
  'GET /v1/me/privacy': own,
  'PUT /v1/me/privacy': { own: true, body: () => ({}) },
  'GET /v1/me/privacy/preview': { query: (t) => `watcher=${t.address}` },
  'GET /v1/me/watchers': own,
  'POST /v1/me/watchers/{address}/approve': {},
  'POST /v1/me/watchers/{address}/deny': {},
  'DELETE /v1/me/watchers/{address}': {},
  'GET /v1/me/disclosures': own,
  'GET /v1/organization/policy': own,
  'PUT /v1/organization/policy': { own: true, current: true },
  'GET /v1/organization/audit': own,
  'GET /v1/groups': own,
  'POST /v1/groups': { body: (t) => ({ name: `probe-${t.list}`, ...members(t) }) },
  'PUT /v1/groups/{id}/members': { id: 'group', body: () => [] },
  'DELETE /v1/groups/{id}': { id: 'group' },
  'GET /v1/directory': { query: (t) => `team=${t.ids.group}` },
  'POST /v1/directory/import': { body: (t) => [{ address: t.address, title: 'Intruder' }] },
  'GET /v1/me/contact-lists': own,
  'POST /v1/me/contact-lists': { body: (t) => ({ name: `probe-${t.list}`, ...members(t) }) },
  'GET /v1/me/contact-lists/{name}': {},
  'PUT /v1/me/contact-lists/{name}': { body: () => ({ members: [] }) },
  'DELETE /v1/me/contact-lists/{name}': {},
  'POST /v1/me/contact-lists/{name}/members': { body: () => ({ members: [] }) },
  'DELETE /v1/me/contact-lists/{name}/members/{address}': {},
  'POST /v1/me/notify-when-available': {
    body: (t) => ({ address: t.address, expiresInSeconds: 60 }),
  },
  'GET /v1/me/notify-when-available': own,
  'DELETE /v1/me/notify-when-available/{id}': { id: 'watch' },
  'GET /v1/availability': { query: (t) => `team=${t.ids.group}` },
  'GET /v1/reach/{address}': { query: () => 'via=im' },
  'POST /v1/link/requests': { body: (t) => ({ address: t.address, kind: 'voice' }) },
  'GET /v1/route/{address}': { query: () => 'urgency=urgent' },
  'POST /v1/pick': { body: (t) => ({ team: t.ids.group, via: 'im' }) },
  'POST /v1/gatherings': { body: (t) => ({ team: t.ids.group, topic: 'x', inviteLater: false }) },
  'GET /v1/gatherings/{id}': { id: 'gathering' },
  'DELETE /v1/gatherings/{id}': { id: 'gathering' },
  'GET /v1/me/invitations': own,
  'POST /v1/me/invitations/{id}': { id: 'gathering', body: () => ({ answer: 'accept' }) },
  'POST /v1/webhooks': {
    body: (t) => ({
      url: 'https://hooks.example.com/x',
      addresses: [t.address],
      events: ['presence'],
    }),
  },
  'GET /v1/webhooks': own,
  'GET /v1/webhooks/{id}': { id: 'webhook' },
  'PATCH /v1/webhooks/{id}': { id: 'webhook', body: () => ({ enabled: false }) },
  'POST /v1/webhooks/{id}/rotate-secret': { id: 'webhook' },
  'DELETE /v1/webhooks/{id}': { id: 'webhook' },
  'GET /v1/webhooks/{id}/deliveries': { id: 'webhook' },
  'POST /v1/integrations': { own: true, body: () => ({ name: 'probe', kinds: ['phone'] }) },
  'GET /v1/integrations': own,
  'DELETE /v1/integrations/{id}': { id: 'integration' },
  'POST /v1/integrations/{id}/rotate': { id: 'integration' },
  'POST /v1/me/schedule': {
    own: true,
    body: (_t, now) => ({
      name: 'probe',
      set: { availability: 'busy' },
      when: { once: { startsAt: now + hour, endsAt: now + 2 * hour } },
    }),
  },
  'GET /v1/me/schedule': own,
  'DELETE /v1/me/schedule/{id}': { id: 'schedule' },
  'GET /v1/people/{address}/free-busy': { query: (_t) => 'from=0&to=3600000' },
  'POST /v1/me/calendars': { own: true, body: () => ({ name: 'probe', ics: emptyIcs }) },
  'GET /v1/me/calendars': own,
  'PUT /v1/me/calendars/{id}': { id: 'calendar', body: () => ({ ics: emptyIcs }) },
  'POST /v1/me/calendars/{id}/refresh': { id: 'calendar' },
  'DELETE /v1/me/calendars/{id}': { id: 'calendar' },
}

const emptyIcs = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//probe//EN\r\nEND:VCALENDAR\r\n'

const ghostTarget = (): Target => {
  const tag = randomUUID().slice(0, 8)
  const id = () => randomUUID()
  return {
    ids: {
      group: id(),
      integration: id(),
      webhook: id(),
      calendar: id(),
      schedule: id(),
      gathering: id(),
      watch: id(),
      token: id(),
    },
    address: `nobody-${tag}@${domain}`,
    list: `no-list-${tag}`,
    source: `ghost-${tag}`,
  }
}

const operationsOf = (document: { paths: Record<string, Record<string, unknown>> }): string[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'put', 'post', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  )

const requestOf = (operation: string, probe: Probe, target: Target, now: number) => {
  const [method, template] = operation.split(' ') as [string, string]
  const values: Record<string, string> = {
    id: probe.id ? target.ids[probe.id] : '',
    address: target.address,
    name: target.list,
    sourceId: target.source,
  }
  const path = template.replace(/\{(\w+)\}/g, (_m, key: string) =>
    encodeURIComponent(values[key] ?? ''),
  )
  const query = probe.query ? `?${probe.query(target)}` : ''
  return { method, path: path + query, body: probe.body?.(target, now) }
}

/** Status, code and message, with the target's values taken out of the message. */
const answerOf = (reply: ApiReply, target: Target) => {
  let message = typeof reply.body['message'] === 'string' ? reply.body['message'] : undefined
  const values = [...Object.values(target.ids), target.address, target.list, target.source]
  for (const value of values) message = message?.split(value).join('<target>')
  return { status: reply.status, code: reply.body['code'], message }
}

/** What acme's people see of acme: nothing of it may change while globex walks the API. */
const acmeState = async (url: string, seeded: Seeded) => {
  const { admin, amy, bo } = seeded.acme
  const reads: [string, string][] = [
    ...['/v1/groups', '/v1/users', '/v1/integrations', '/v1/organization/policy'].map(
      (p): [string, string] => [admin, p],
    ),
    [admin, '/v1/directory'],
    [admin, '/v1/organization/audit'],
    ...[
      '/v1/me',
      '/v1/me/contact-lists',
      '/v1/webhooks',
      `/v1/webhooks/${seeded.ids.webhook}/deliveries`,
      '/v1/me/calendars',
      '/v1/me/schedule',
      `/v1/gatherings/${seeded.ids.gathering}`,
      '/v1/me/notify-when-available',
      '/v1/auth/tokens',
      '/v1/me/privacy',
      '/v1/me/watchers',
      '/v1/me/presence',
      '/v1/me/contact-methods',
      '/v1/me/disclosures',
    ].map((p): [string, string] => [amy, p]),
    [bo, '/v1/subscriptions'],
    [bo, '/v1/me/invitations'],
  ]
  const state: Record<string, unknown> = {}
  for (const [token, path] of reads) {
    const reply = await api(url, { path, token })
    // A sequence number moves when views are recomputed, which does not change acme's data.
    const body: unknown = JSON.parse(
      JSON.stringify(reply.body, (k, v: unknown) => (k === 'seq' ? 0 : v)),
    )
    state[path] = { status: reply.status, body }
  }
  return state
}

describe('organization boundaries', () => {
  it('every operation of the API is walked or excluded with a reason', async () => {
    const h = await server.start()
    const document = (await api(h.url, { path: '/openapi.json' })).body as never
    const operations = operationsOf(document)
    const unaccounted = operations.filter((op) => !(op in probes) && !(op in excluded))
    expect(unaccounted, 'add a probe (or an exclusion with a reason) for').toEqual([])
    const gone = [...Object.keys(probes), ...Object.keys(excluded)].filter(
      (op) => !operations.includes(op),
    )
    expect(gone, 'no longer in the API').toEqual([])
  })

  it("another organization's admin and member get for acme's things what they get for nothing", async () => {
    const h = await server.start({ env: { NARVARO_REQUESTS_PER_MINUTE: '100000' } })
    const seeded = await seedTwoOrganizations(h)
    const before = await acmeState(h.url, seeded)
    const foreign: Target = {
      ids: seeded.ids,
      address: `amy@${domain}`,
      list: 'friends',
      source: 'laptop',
    }
    const document = (await api(h.url, { path: '/openapi.json' })).body as never
    const mismatches: string[] = []
    for (const [role, token] of Object.entries(seeded.globex)) {
      for (const operation of operationsOf(document).filter((op) => op in probes)) {
        const probe = probes[operation]!
        const call = async (target: Target) =>
          api(h.url, { ...requestOf(operation, probe, target, h.clock.now()), token })
        if (probe.own) {
          const path = operation.split(' ')[1]!
          const current = probe.current && (await api(h.url, { path, token })).body
          const reply = current
            ? await api(h.url, { method: 'PUT', path, token, body: current })
            : await call(foreign)
          if (reply.status >= 500) mismatches.push(`${role} ${operation}: ${reply.status}`)
          continue
        }
        const ghost = ghostTarget()
        const onAcme = answerOf(await call(foreign), foreign)
        const onNothing = answerOf(await call(ghost), ghost)
        if (JSON.stringify(onAcme) !== JSON.stringify(onNothing)) {
          mismatches.push(
            `${role} ${operation}: ${JSON.stringify(onAcme)} vs ${JSON.stringify(onNothing)}`,
          )
        }
      }
    }
    expect(mismatches).toEqual([])
    expect(await acmeState(h.url, seeded)).toEqual(before)
    expect(otherDomain).not.toBe(domain)
  })
})

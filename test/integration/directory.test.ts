// Integration: the directory over real HTTP — search by name, team and tag, titles and tags, personal
// contact lists that only their owner sees, and bulk import from CSV and JSON with a dry run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Harness } from '../support/server-harness.js'
import { addUsers, api, domain, login, startHarness } from '../support/server-harness.js'

interface Person {
  address: string
  displayName: string
  title?: string
  tags: string[]
  teams: string[]
  timeZone: string
}
interface Page {
  entries: Person[]
  next?: string
}
interface Problem {
  row: number
  line?: number
  field?: string
  code: string
}
interface Report {
  dryRun: boolean
  rows: number
  valid: number
  problems: Problem[]
  written: boolean
  created: number
  updated: number
  teamsCreated: string[]
}

let h: Harness
let admin: string
let alice: string
let bob: string

const at = (local: string) => `${local}@${domain}`

beforeAll(async () => {
  h = await startHarness()
  const users = await addUsers(h.url, ['alice', 'bob', 'carl'])
  admin = users.admin
  alice = users.tokens['alice']!
  bob = users.tokens['bob']!
})
afterAll(() => h.stop())

const search = async (token: string, query: string): Promise<Page> => {
  const reply = await api<Page>(h.url, { path: `/v1/directory?${query}`, token })
  expect(reply.status).toBe(200)
  return reply.body
}
const addressesOf = (page: Page) => page.entries.map((e) => e.address)

const importCsv = async (csv: string, options: { dryRun?: boolean; token?: string } = {}) => {
  const response = await fetch(`${h.url}/v1/directory/import?dryRun=${options.dryRun === true}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token ?? admin}`, 'content-type': 'text/csv' },
    body: csv,
  })
  return { status: response.status, body: (await response.json()) as Report & { code?: string } }
}

describe('titles, tags and search', () => {
  beforeAll(async () => {
    const sales = await api<{ id: string }>(h.url, {
      path: '/v1/groups',
      token: admin,
      body: { name: 'sales', members: [at('alice'), at('bob')] },
    })
    expect(sales.status).toBe(201)
    const set = await api(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('bob')}/directory`,
      token: admin,
      body: { title: 'Account Manager', tags: ['Swedish', 'crm'] },
    })
    expect(set.status).toBe(200)
    const own = await api(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('alice')}/directory`,
      token: alice,
      body: { tags: ['german'] },
    })
    expect(own.status).toBe(200)
    await api(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('carl')}/directory`,
      token: admin,
      body: { tags: ['swedish'] },
    })
  })

  it('an entry shows title, tags in lower case, team names and time zone, and no presence', async () => {
    const reply = await api<Person>(h.url, {
      path: `/v1/users/${at('bob')}/directory`,
      token: alice,
    })
    expect(reply.body).toEqual({
      address: at('bob'),
      displayName: 'bob',
      title: 'Account Manager',
      tags: ['crm', 'swedish'],
      teams: ['sales'],
      timeZone: 'UTC',
    })
    const user = await api<{ title?: string }>(h.url, {
      path: `/v1/users/${at('bob')}`,
      token: alice,
    })
    expect(user.body.title).toBe('Account Manager')
  })

  it('searches by name, team and tag, combined', async () => {
    expect(addressesOf(await search(alice, 'q=BO'))).toEqual([at('bob')])
    expect(addressesOf(await search(alice, 'team=sales'))).toEqual([at('alice'), at('bob')])
    expect(addressesOf(await search(alice, 'tag=swedish'))).toEqual([at('bob'), at('carl')])
    expect(addressesOf(await search(alice, 'team=sales&tag=swedish'))).toEqual([at('bob')])
    expect(addressesOf(await search(alice, 'team=sales&tag=swedish&q=ali'))).toEqual([])
  })

  it('an unknown team is NRV_NOT_FOUND and a bad tag or limit NRV_VALIDATION', async () => {
    const team = await api(h.url, { path: '/v1/directory?team=nope', token: alice })
    expect(team.status).toBe(404)
    expect(team.body['code']).toBe('NRV_NOT_FOUND')
    for (const query of ['tag=no%20spaces', 'limit=501', 'limit=0', 'cursor=%25%25']) {
      const reply = await api(h.url, { path: `/v1/directory?${query}`, token: alice })
      expect(reply.status, query).toBe(400)
      expect(reply.body['code']).toBe('NRV_VALIDATION')
    }
  })

  it('a member changes only their own entry; a title of "" clears it', async () => {
    const other = await api(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('bob')}/directory`,
      token: alice,
      body: { title: 'Boss' },
    })
    expect(other.status).toBe(403)
    expect(other.body['code']).toBe('NRV_FORBIDDEN')
    const bad = await api(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('alice')}/directory`,
      token: alice,
      body: { tags: ['ok', 'not ok'] },
    })
    expect(bad.status).toBe(400)
    await api(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('alice')}/directory`,
      token: alice,
      body: { title: 'Temp' },
    })
    const cleared = await api<Person>(h.url, {
      method: 'PATCH',
      path: `/v1/users/${at('alice')}/directory`,
      token: alice,
      body: { title: '' },
    })
    expect(cleared.body.title).toBeUndefined()
    expect(cleared.body.tags).toEqual(['german'])
  })
})

describe('contact lists', () => {
  it('are private to their owner', async () => {
    const created = await api(h.url, {
      path: '/v1/me/contact-lists',
      token: alice,
      body: { name: 'Lunch crew', members: ['bob', at('carl')] },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'Lunch crew',
      members: [{ address: at('bob') }, { address: at('carl') }],
    })
    const mine = await api<unknown[]>(h.url, { path: '/v1/me/contact-lists', token: alice })
    expect(mine.body).toHaveLength(1)
    const theirs = await api<unknown[]>(h.url, { path: '/v1/me/contact-lists', token: bob })
    expect(theirs.body).toEqual([])
    const peek = await api(h.url, { path: '/v1/me/contact-lists/Lunch%20crew', token: bob })
    expect(peek.status).toBe(404)
    const own = await api(h.url, { path: '/v1/me/contact-lists/Lunch%20crew', token: alice })
    expect(own.status).toBe(200)
  })

  it('adds, removes, replaces and deletes; an unknown address is NRV_NOT_FOUND', async () => {
    const path = '/v1/me/contact-lists/desk'
    await api(h.url, { path: '/v1/me/contact-lists', token: bob, body: { name: 'desk' } })
    const unknown = await api(h.url, {
      path: `${path}/members`,
      token: bob,
      body: { members: ['nobody'] },
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body['code']).toBe('NRV_NOT_FOUND')
    const added = await api<{ members: { address: string }[] }>(h.url, {
      path: `${path}/members`,
      token: bob,
      body: { members: ['alice', 'carl'] },
    })
    expect(added.body.members.map((m) => m.address)).toEqual([at('alice'), at('carl')])
    const removed = await api<{ members: unknown[] }>(h.url, {
      method: 'DELETE',
      path: `${path}/members/${at('alice')}`,
      token: bob,
    })
    expect(removed.body.members).toHaveLength(1)
    const replaced = await api<{ members: { address: string }[] }>(h.url, {
      method: 'PUT',
      path,
      token: bob,
      body: { members: ['alice'] },
    })
    expect(replaced.body.members.map((m) => m.address)).toEqual([at('alice')])
    const twice = await api(h.url, {
      path: '/v1/me/contact-lists',
      token: bob,
      body: { name: 'desk' },
    })
    expect(twice.status).toBe(409)
    expect((await api(h.url, { method: 'DELETE', path, token: bob })).status).toBe(204)
    expect((await api(h.url, { method: 'DELETE', path, token: bob })).status).toBe(404)
  })
})

describe('import', () => {
  const badCsv = [
    'address,display name,title,tags,teams,time zone,working hours',
    'dora,Dora D,Engineer,go;rust,platform,Europe/Stockholm,mon-fri 08:00-17:00',
    ',No Address,,,,,',
    'eve@other.example,Eve,,,,,',
    'fay,Fay,,bad tag!,,Mars/Olympus,',
    'dora,Dora Again,,,,,',
    'gus,Gus,,,,,someday',
    'hal,Hal,,,support,,',
    'ivy,Ivy',
  ].join('\n')

  it('a dry run reports every bad row and writes nothing', async () => {
    const { status, body } = await importCsv(badCsv, { dryRun: true })
    expect(status).toBe(200)
    expect(body).toMatchObject({
      dryRun: true,
      rows: 8,
      valid: 2,
      written: false,
      created: 2,
      updated: 0,
      teamsCreated: ['platform', 'support'],
    })
    expect(body.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [2, 'address', 'required'],
      [3, 'address', 'other-organization'],
      [4, 'tags', 'invalid-tag'],
      [4, 'timeZone', 'unknown-time-zone'],
      [5, 'address', 'duplicate-address'],
      [6, 'workingHours', 'invalid-working-hours'],
      [8, undefined, 'wrong-column-count'],
    ])
    expect(body.problems[0]?.line).toBe(3)
    expect(addressesOf(await search(admin, 'q=dora'))).toEqual([])
    const groups = await api<{ name: string }[]>(h.url, { path: '/v1/groups', token: admin })
    expect(groups.body.map((g) => g.name)).toEqual(['sales'])
  })

  it('a real run writes the good rows and reports the bad ones', async () => {
    const { body } = await importCsv(badCsv)
    expect(body).toMatchObject({
      dryRun: false,
      valid: 2,
      written: true,
      created: 2,
      updated: 0,
      teamsCreated: ['platform', 'support'],
    })
    expect(body.problems).toHaveLength(7)
    const dora = await api<Person & { workingHours: unknown }>(h.url, {
      path: `/v1/users/${at('dora')}/directory`,
      token: bob,
    })
    expect(dora.body).toEqual({
      address: at('dora'),
      displayName: 'Dora D',
      title: 'Engineer',
      tags: ['go', 'rust'],
      teams: ['platform'],
      timeZone: 'Europe/Stockholm',
      workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '17:00' }],
    })
  })

  it('an imported user cannot sign in until an admin sets a password', async () => {
    const denied = await api(h.url, {
      path: '/v1/auth/login',
      body: { address: at('hal'), password: 'anything at all' },
    })
    expect(denied.status).toBe(401)
    expect(denied.body['code']).toBe('NRV_UNAUTHENTICATED')
    const member = await api(h.url, {
      method: 'PUT',
      path: `/v1/users/${at('hal')}/password`,
      token: alice,
      body: {},
    })
    expect(member.status).toBe(403)
    const set = await api<{ password: string }>(h.url, {
      method: 'PUT',
      path: `/v1/users/${at('hal')}/password`,
      token: admin,
      body: {},
    })
    expect(set.status).toBe(200)
    expect(await login(h.url, at('hal'), set.body.password)).toMatch(/^nrv_/)
  })

  it('JSON rows update existing users and only admins import', async () => {
    const rows = [
      { address: at('dora'), title: 'Staff Engineer', teams: ['platform', 'sales'] },
      { address: 'jon', tags: 'a,b' },
      { address: 'kim', timeZone: 7 },
    ]
    const reply = await api<Report>(h.url, {
      path: '/v1/directory/import',
      token: admin,
      body: rows,
    })
    expect(reply.body).toMatchObject({
      rows: 3,
      valid: 2,
      created: 1,
      updated: 1,
      teamsCreated: [],
    })
    expect(reply.body.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [3, 'timeZone', 'invalid-type'],
    ])
    expect(addressesOf(await search(bob, 'team=sales'))).toEqual([
      at('alice'),
      at('bob'),
      at('dora'),
    ])
    const member = await api(h.url, { path: '/v1/directory/import', token: alice, body: rows })
    expect(member.status).toBe(403)
    const notRows = await api(h.url, { path: '/v1/directory/import', token: admin, body: { rows } })
    expect(notRows.status).toBe(400)
    expect(notRows.body['code']).toBe('NRV_VALIDATION')
  })

  it('imports 2,000 generated people and their teams in one call, then finds them', async () => {
    const lines = ['address,displayName,title,tags,teams,timeZone']
    for (let i = 0; i < 2_000; i += 1) {
      const n = String(i).padStart(4, '0')
      lines.push(
        `p${n},Person ${n},Agent,lang-${i % 5};tier-${i % 2},desk-${i % 20};all-agents,Europe/Stockholm`,
      )
    }
    const started = Date.now()
    const { status, body } = await importCsv(lines.join('\n'))
    expect(status).toBe(200)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(body).toMatchObject({
      rows: 2_000,
      valid: 2_000,
      problems: [],
      written: true,
      created: 2_000,
      updated: 0,
    })
    expect(body.teamsCreated).toHaveLength(21)
    const desk = await search(bob, 'team=desk-7&limit=500')
    expect(desk.entries).toHaveLength(100)
    const both = await search(bob, 'team=desk-7&tag=lang-2&limit=500')
    expect(both.entries.map((e) => e.address)).toEqual(
      desk.entries.filter((e) => e.tags.includes('lang-2')).map((e) => e.address),
    )
    expect(both.entries.length).toBeGreaterThan(0)
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await search(
        bob,
        `team=all-agents&limit=300${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...addressesOf(page))
      cursor = page.next
    } while (cursor)
    expect(seen).toHaveLength(2_000)
    expect(new Set(seen).size).toBe(2_000)
    const again = await importCsv(lines.join('\n'), { dryRun: true })
    expect(again.body).toMatchObject({ created: 0, updated: 2_000, teamsCreated: [] })
  })

  it('takes JSON bodies over the server-wide body limit, and refuses those over 8 MiB', async () => {
    const rows = Array.from({ length: 4_000 }, (_, i) => ({
      address: `json-${i}`,
      displayName: `JSON person number ${i}`,
      tags: ['bulk'],
      teams: ['json-team'],
    }))
    expect(JSON.stringify(rows).length).toBeGreaterThan(262_144)
    const reply = await api<Report>(h.url, {
      path: '/v1/directory/import?dryRun=true',
      token: admin,
      body: rows,
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ rows: 4_000, valid: 4_000, created: 4_000, written: false })
    const huge = await importCsv(`address,title\n${'x,'.padEnd(9 * 1024 * 1024, 'y')}\n`)
    expect(huge.status).toBe(413)
    expect(huge.body.code).toBe('NRV_PAYLOAD_TOO_LARGE')
  })

  it('a CSV that cannot be read is one problem of row 0, and nothing is written', async () => {
    const broken = await importCsv('address,displayName\nzed,"Zed\n')
    expect(broken.body).toMatchObject({ written: false, valid: 0 })
    expect(broken.body.problems.map((p) => [p.row, p.code])).toEqual([[0, 'invalid-csv']])
    const header = await importCsv('address,nickname\nzed,Z\n')
    expect(header.body.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [0, 'nickname', 'unknown-field'],
    ])
    expect(header.body.written).toBe(false)
    expect(addressesOf(await search(admin, 'q=zed'))).toEqual([])
  })
})

// Integration: the CLI's directory — `narvaro import` with a dry run, `directory search|show|set`,
// personal contact lists with `narvaro list`, and `user set-password` — against the real server.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from './cli-harness.js'
import {
  adminPassword,
  domain,
  envOf,
  loginAs,
  removeDir,
  runCli,
  startTestServer,
} from './cli-harness.js'

let s: TestServer
let files: string
const admin = () => envOf(s, 'admin')
const at = (local: string) => `${local}@${domain}`

const csv = [
  'address,displayName,title,tags,teams,timeZone,workingHours',
  'anna,Anna Berg,Support Lead,swedish;english,support,Europe/Stockholm,mon-fri 08:00-17:00',
  'ben,Ben Ek,Agent,english,support;night,Europe/London,',
  'cleo,Cleo Dahl,Engineer,go,platform,UTC,',
].join('\n')

const write = (name: string, text: string): string => {
  const path = join(files, name)
  writeFileSync(path, text)
  return path
}

beforeAll(async () => {
  s = await startTestServer()
  files = mkdtempSync(join(tmpdir(), 'narvaro-import-'))
  await loginAs(s, 'admin', adminPassword)
})
afterAll(async () => {
  await s.stop()
  removeDir(s.dataDir)
  removeDir(files)
})

describe('narvaro import', () => {
  it('a dry run of a file with bad rows prints every problem, exits 1 and writes nothing', async () => {
    const bad = write('bad.csv', `${csv}\ndave,Dave,,not a tag,,Nowhere/City,\n,No one,,,,,\n`)
    const result = await runCli(['import', bad, '--dry-run'], { env: admin() })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('dry run: 5 rows, 3 good')
    expect(result.stdout).toContain('people would be created: 3, would be updated: 0')
    expect(result.stdout).toContain('teams would be created: 3 (night, platform, support)')
    expect(result.stdout).toMatch(/^4\s+5\s+tags\s+invalid-tag\s+/m)
    expect(result.stdout).toMatch(/^4\s+5\s+timeZone\s+unknown-time-zone\s+/m)
    expect(result.stdout).toMatch(/^5\s+6\s+address\s+required\s+/m)
    const search = await runCli(['directory', 'search', 'anna'], { env: admin() })
    expect(search.stderr).toContain('nobody matches')
  })

  it('imports a CSV file, and again as JSON updates the same people', async () => {
    const result = await runCli(['import', write('people.csv', csv)], { env: admin() })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('3 rows, 3 good')
    expect(result.stdout).toContain('people created: 3, updated: 0')
    const rows = [{ address: 'cleo', title: 'Staff Engineer' }]
    const json = await runCli(['import', write('people.json', JSON.stringify(rows)), '--json'], {
      env: admin(),
    })
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({ written: true, created: 0, updated: 1 })
  })

  it('a file that is not there or not JSON is a usage error', async () => {
    expect((await runCli(['import', join(files, 'missing.csv')], { env: admin() })).code).toBe(2)
    const notJson = await runCli(['import', write('x.json', 'address\nanna')], { env: admin() })
    expect(notJson.code).toBe(2)
    expect(notJson.stderr).toContain('not JSON')
  })

  it('an imported person signs in once an admin sets a password', async () => {
    const set = await runCli(['user', 'set-password', at('anna')], { env: admin() })
    expect(set.code).toBe(0)
    const password = /one-time password: (\S+)/.exec(set.stdout)?.[1]
    expect(password).toBeDefined()
    await loginAs(s, 'anna', password!)
  })
})

describe('narvaro directory', () => {
  it('searches by text, team and tag', async () => {
    const team = await runCli(['directory', 'search', '--team', 'support'], { env: admin() })
    expect(team.code).toBe(0)
    expect(team.stdout.split('\n')[0]).toMatch(/^ADDRESS\s+NAME\s+TITLE\s+TEAMS\s+TAGS\s+TIME ZONE/)
    expect(team.stdout).toMatch(new RegExp(`${at('anna')}\\s+Anna Berg\\s+Support Lead\\s+support`))
    expect(team.stdout).toContain(at('ben'))
    expect(team.stdout).not.toContain(at('cleo'))
    const tagged = await runCli(
      ['directory', 'search', '--team', 'support', '--tag', 'swedish', '--json'],
      {
        env: admin(),
      },
    )
    const page = JSON.parse(tagged.stdout) as { entries: { address: string }[] }
    expect(page.entries.map((e) => e.address)).toEqual([at('anna')])
    const text = await runCli(['directory', 'search', 'DAHL'], { env: admin() })
    expect(text.stdout).toContain(at('cleo'))
  })

  it('pages with --limit and --all', async () => {
    const first = await runCli(['directory', 'search', '--limit', '2'], { env: admin() })
    expect(first.stderr).toContain('--all')
    const all = await runCli(['directory', 'search', '--limit', '2', '--all', '--json'], {
      env: admin(),
    })
    expect((JSON.parse(all.stdout) as { entries: unknown[] }).entries).toHaveLength(4)
  })

  it('shows one entry, and a person changes their own title and tags only', async () => {
    const set = await runCli(
      ['directory', 'set', at('anna'), '--title', 'Head of Support', '--tags', 'swedish,finnish'],
      {
        env: envOf(s, 'anna'),
      },
    )
    expect(set.code).toBe(0)
    expect(set.stdout).toContain(`${at('anna')}: "Head of Support"; finnish, swedish`)
    const show = await runCli(['directory', 'show', at('anna')], { env: admin() })
    expect(show.stdout).toContain('title      Head of Support')
    expect(show.stdout).toContain('teams      support')
    expect(show.stdout).toContain('works      mon,tue,wed,thu,fri 08:00-17:00')
    const other = await runCli(['directory', 'set', at('ben'), '--clear-title'], {
      env: envOf(s, 'anna'),
    })
    expect(other.code).toBe(1)
    expect(other.stderr).toMatch(/^error NRV_FORBIDDEN: /)
    expect((await runCli(['directory', 'set', at('anna')], { env: envOf(s, 'anna') })).code).toBe(2)
  })
})

describe('narvaro list', () => {
  it('creates, changes, shows and deletes my lists, which others do not see', async () => {
    const env = envOf(s, 'anna')
    const created = await runCli(['list', 'create', 'escalation', 'ben', at('cleo')], { env })
    expect(created.code).toBe(0)
    expect(created.stdout).toContain('created list escalation: 2 members')
    expect((await runCli(['list', 'remove', 'escalation', 'ben'], { env })).stdout).toContain(
      ': 1 member\n',
    )
    expect((await runCli(['list', 'add', 'escalation', 'ben'], { env })).stdout).toContain(
      '2 members',
    )
    const show = await runCli(['list', 'show', 'escalation'], { env })
    expect(show.stdout).toMatch(new RegExp(`${at('ben')}\\s+Ben Ek`))
    const all = await runCli(['list'], { env })
    expect(all.stdout).toMatch(/^escalation\s+2\s+/m)
    const theirs = await runCli(['list', 'show', 'escalation'], { env: admin() })
    expect(theirs.code).toBe(1)
    expect(theirs.stderr).toMatch(/^error NRV_NOT_FOUND: /)
    const unknown = await runCli(['list', 'add', 'escalation', 'nobody'], { env })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^error NRV_NOT_FOUND: /)
    expect((await runCli(['list', 'delete', 'escalation'], { env })).stdout).toContain(
      'deleted list escalation',
    )
    expect((await runCli(['list'], { env })).stderr).toContain('no contact lists yet')
  })
})

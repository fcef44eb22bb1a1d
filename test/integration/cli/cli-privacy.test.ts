// Integration: `privacy`, `watchers`, `policy`, `audit` and `group` through the CLI against the
// real server: rules in force, convenience edits, preview, requests and approval, admin refusals.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from './cli-harness.js'
import {
  addUsers,
  domain,
  envOf,
  removeDir,
  runCli,
  startCli,
  startTestServer,
} from './cli-harness.js'

let s: TestServer
const env = (name: string) => envOf(s, name)
const addr = (name: string) => `${name}@${domain}`
const scratch = mkdtempSync(join(tmpdir(), 'narvaro-cli-files-'))

beforeAll(async () => {
  s = await startTestServer()
  await addUsers(s, ['alice', 'bob', 'cid', 'dee'])
})
afterAll(async () => {
  await s.stop()
  removeDir(s.dataDir)
  removeDir(scratch)
})

describe('privacy', () => {
  it('show lists the organization defaults while I have set no rules', async () => {
    const show = await runCli(['privacy', 'show'], { env: env('dee') })
    expect(show.code).toBe(0)
    const lines = show.stdout.split('\n')
    expect(lines[0]).toBe(
      "rules in force: the organization's default rules (you have set none of your own)",
    )
    expect(lines[1]).toMatch(/^ID\s+WHO\s+HANDLING\s+GRANTS$/)
    expect(lines[2]).toMatch(
      /^org-default-colleagues\s+your organization\s+allow\s+activities, note, .*, contact=work$/,
    )
    expect(show.stdout).toContain('appear offline to: nobody')
    expect(show.stdout).toContain('share outside working hours: no')
  })

  it('allow adds a rule with a generated id; preview and show reflect it', async () => {
    const allow = await runCli(
      ['privacy', 'allow', '--domain', 'partner.example', '--see', 'activities,contact=work'],
      { env: env('dee') },
    )
    expect(allow.code).toBe(0)
    expect(allow.stdout).toBe(
      'added rule domain-partner-example: @partner.example (allow) sees activities, contact=work\n',
    )
    expect(allow.stderr).toContain("a copy of the organization's defaults (org-default-colleagues)")
    const again = await runCli(
      ['privacy', 'allow', '--domain', 'partner.example', '--see', 'contact=work,activities'],
      { env: env('dee') },
    )
    expect(again.stdout).toBe('already in force: rule domain-partner-example\n')

    const show = await runCli(['privacy', 'show'], { env: env('dee') })
    expect(show.stdout.split('\n')[0]).toBe('rules in force: your own rules (2)')
    expect(show.stdout).toMatch(
      /domain-partner-example\s+@partner\.example\s+allow\s+activities, contact=work/,
    )

    const preview = await runCli(['privacy', 'preview', addr('bob')], { env: env('dee') })
    expect(preview.code).toBe(0)
    expect(preview.stdout).toMatch(new RegExp(`^${addr('bob')} sees now:\\n${addr('dee')}\\n`))
    expect(preview.stdout).toMatch(/availability\s+offline/)
    expect(preview.stdout).toMatch(/handling\s+allow\n/)
    expect(preview.stdout).toMatch(/location\s+city\n/)
    const outsider = await runCli(['privacy', 'preview', 'eve@elsewhere.example'], {
      env: env('dee'),
    })
    expect(outsider.stdout).toMatch(/^eve@elsewhere\.example sees nothing: .*NRV_NOT_FOUND/)
    expect(outsider.stdout).toMatch(/handling\s+block\n/)
  })

  it('remove, appear-offline and share-outside-hours edit my settings', async () => {
    const removed = await runCli(['privacy', 'remove', 'domain-partner-example'], {
      env: env('dee'),
    })
    expect(removed.stdout).toBe('removed rule domain-partner-example\n')
    const missing = await runCli(['privacy', 'remove', 'nope'], { env: env('dee') })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^error NRV_NOT_FOUND: no rule nope in force/)

    const offline = await runCli(['privacy', 'appear-offline', addr('cid')], { env: env('dee') })
    expect(offline.stdout).toBe(`you appear offline to: ${addr('cid')}\n`)
    const preview = await runCli(['privacy', 'preview', addr('cid'), '--json'], { env: env('dee') })
    const reply = JSON.parse(preview.stdout) as { permissions: { appearOffline: boolean } }
    expect(reply.permissions.appearOffline).toBe(true)
    const cleared = await runCli(['privacy', 'appear-offline', '--clear', addr('cid')], {
      env: env('dee'),
    })
    expect(cleared.stdout).toBe('you appear offline to: nobody\n')
    expect((await runCli(['privacy', 'share-outside-hours', 'on'], { env: env('dee') })).code).toBe(
      0,
    )

    const json = await runCli(['privacy', 'show', '--json'], { env: env('dee') })
    const privacy = JSON.parse(json.stdout) as {
      usingDefaultRules: boolean
      rules: { id: string }[]
      settings: { shareOutsideWorkingHours?: boolean; appearOfflineTo?: string[] }
    }
    expect(privacy.usingDefaultRules).toBe(false)
    expect(privacy.rules.map((r) => r.id)).toEqual(['org-default-colleagues'])
    expect(privacy.settings).toMatchObject({ shareOutsideWorkingHours: true, appearOfflineTo: [] })
  })

  it('set replaces my settings from a file or stdin, checked against the schema', async () => {
    const file = join(scratch, 'rules.json')
    writeFileSync(file, JSON.stringify({ rules: [{ id: 'x', conditions: { everyone: true } }] }))
    const invalid = await runCli(['privacy', 'set', '--file', file], { env: env('cid') })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(/^error: .*rules\.json: /)
    const notJson = await runCli(['privacy', 'set', '--file', '-'], { env: env('cid'), stdin: '{' })
    expect(notJson.code).toBe(2)
    expect(notJson.stderr).toMatch(/^error: standard input: not JSON/)
    const settings = { rules: [{ id: 'all', conditions: { everyone: true }, grant: {} }] }
    const set = await runCli(['privacy', 'set', '--file', '-'], {
      env: env('cid'),
      stdin: JSON.stringify(settings),
    })
    expect(set.code).toBe(0)
    expect(set.stdout).toBe('privacy settings replaced: 1 rules in force\n')
    const defaults = await runCli(['privacy', 'set', '--file', '-'], {
      env: env('cid'),
      stdin: '{}',
    })
    expect(defaults.stdout).toBe(
      "privacy settings replaced: the organization's default rules in force\n",
    )
  })

  it('disclosures lists what was disclosed (nothing yet is fine)', async () => {
    const result = await runCli(['privacy', 'disclosures', '--since', '1h'], { env: env('cid') })
    expect(result.code).toBe(0)
    const bad = await runCli(['privacy', 'disclosures', '--since', 'soon'], { env: env('cid') })
    expect(bad.code).toBe(2)
  })
})

describe('watchers', () => {
  it('a confirm rule: the request is pending, listed, seen live, and approved', async () => {
    await runCli(['privacy', 'remove', 'org-default-colleagues'], { env: env('alice') })
    const allow = await runCli(['privacy', 'allow', addr('bob'), '--confirm', '--see', 'note'], {
      env: env('alice'),
    })
    expect(allow.stdout).toBe(
      `added rule watcher-bob-acme-example: ${addr('bob')} (confirm) sees note\n`,
    )
    const live = startCli(['watchers', '--live'], { env: env('alice') })
    await live.stderr.waitFor(/waiting for watcher requests/)

    const asked = await runCli(['subscribe', addr('alice')], { env: env('bob') })
    expect(asked.stdout).toBe(`watching ${addr('alice')} (pending their approval)\n`)
    await live.stdout.waitFor(
      new RegExp(
        `^\\d{2}:\\d{2}:\\d{2} ${addr('bob')} pending \\(narvaro watchers approve\\|deny `,
      ),
    )
    const listed = await runCli(['watchers'], { env: env('alice') })
    const [header, row] = listed.stdout.split('\n')
    expect(header).toMatch(/^WATCHER\s+STATE\s+HANDLING\s+SINCE$/)
    expect(row).toMatch(new RegExp(`^${addr('bob')}\\s+pending\\s+confirm\\s+\\d{2}:\\d{2}$`))

    const approved = await runCli(['watchers', 'approve', addr('bob')], { env: env('alice') })
    expect(approved.stdout).toBe(`${addr('bob')} now watches you\n`)
    await live.stdout.waitFor(new RegExp(`${addr('bob')} active$`, 'm'))
    const after = await runCli(['watchers', '--json'], { env: env('alice') })
    expect(JSON.parse(after.stdout)).toMatchObject([
      { watcherAddress: addr('bob'), state: 'active' },
    ])
    live.signals.emit('SIGINT')
    expect(await live.exit).toBe(0)

    // A colleague's block reads as polite-block: subscribing succeeds and shows offline.
    const blocked = await runCli(['subscribe', addr('alice')], { env: env('cid') })
    expect(blocked.code).toBe(0)
    const revoked = await runCli(['watchers', 'revoke', addr('bob')], { env: env('alice') })
    expect(revoked.code).toBe(0)
    const none = await runCli(['watchers', 'deny', addr('nobody')], { env: env('alice') })
    expect(none.code).toBe(1)
  })
})

describe('policy, audit and groups', () => {
  it('an admin reads and replaces the policy; a member may not replace it', async () => {
    const show = await runCli(['policy', 'show'], { env: env('admin') })
    expect(show.code).toBe(0)
    expect(show.stdout).toMatch(/org-default-colleagues\s+your organization\s+allow/)
    expect(show.stdout).toMatch(/colleagues\s+allow\s+activities/)
    const file = join(scratch, 'policy.json')
    writeFileSync(file, (await runCli(['policy', 'show', '--json'], { env: env('admin') })).stdout)
    const set = await runCli(['policy', 'set', '--file', file], { env: env('admin') })
    expect(set.stdout).toBe('organization policy replaced (1 default rules); in force now\n')

    const refused = await runCli(['policy', 'set', '--file', file], { env: env('bob') })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error NRV_FORBIDDEN: /)
  })

  it('the audit log is for admins', async () => {
    const audit = await runCli(['audit', '--since', '1h'], { env: env('admin') })
    expect(audit.code).toBe(0)
    expect(audit.stdout).toMatch(/^WHEN\s+KIND\s+BY\s+ABOUT\s+WHAT$/m)
    expect(audit.stdout).toMatch(
      new RegExp(`policy-change\\s+${addr('admin')}\\s+organization policy`),
    )
    const refused = await runCli(['audit'], { env: env('bob') })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error NRV_FORBIDDEN: /)
  })

  it('an admin creates a group, members list it, and a rule can name it', async () => {
    const members = `${addr('bob')},${addr('cid')}`
    const created = await runCli(['group', 'create', 'Team Alpha', '--members', members], {
      env: env('admin'),
    })
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/^created group Team Alpha \(id [^)]+\): bob@acme\.example, cid/)
    const list = await runCli(['group', 'list'], { env: env('dee') })
    expect(list.stdout).toMatch(/^ID\s+NAME\s+CREATED\s+MEMBERS$/m)
    expect(list.stdout).toMatch(/Team Alpha\s+\d{2}:\d{2}\s+bob@acme\.example, cid@acme\.example$/m)
    const refused = await runCli(['group', 'create', 'Mine'], { env: env('dee') })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error NRV_FORBIDDEN: /)

    const allow = await runCli(['privacy', 'allow', '--group', 'Team Alpha', '--see', 'note'], {
      env: env('dee'),
    })
    expect(allow.stdout).toBe('added rule group-team-alpha: group Team Alpha (allow) sees note\n')
    const show = await runCli(['privacy', 'show'], { env: env('dee') })
    expect(show.stdout).toMatch(/group-team-alpha\s+group Team Alpha\s+allow\s+note/)
  })
})

// Integration: `narvaro schedule ...` and `narvaro status set --work-location` over the real server —
// add once and weekly entries, list, remove, working hours, free/busy as policy allows; bad input is a
// usage error.
import { describe, expect, it } from 'vitest'
import { domain, envOf, publishDevice, runCli, useTestServer } from './cli-harness.js'

describe('narvaro schedule', () => {
  const s = useTestServer(['rut', 'sam'])
  /** Runs one command as `name`, signed in with their own config directory. */
  const runAs = (name: string, args: readonly string[]) => runCli(args, { env: envOf(s, name) })

  it('adds a weekly do-not-disturb and a focus hour, lists and removes them', async () => {
    const weekly = await runAs('rut', [
      'schedule',
      'add',
      '--dnd',
      '--note',
      'Evenings off',
      '--weekly',
      'mon-fri 18:00-22:00',
      '--name',
      'evenings',
    ])
    expect(weekly.code, weekly.stderr).toBe(0)
    expect(weekly.stdout).toMatch(
      /scheduled .+: do-not-disturb, note "Evenings off", mon,tue,wed,thu,fri 18:00-22:00/,
    )
    const once = await runAs('rut', [
      'schedule',
      'add',
      '--dnd',
      '--from',
      '2h',
      '--until',
      '3h',
      '--json',
    ])
    const entry = JSON.parse(once.stdout) as { id: string; when: { once: { startsAt: number } } }
    expect(entry.when.once.startsAt).toBeGreaterThan(Date.now())
    const list = await runAs('rut', ['schedule', 'list'])
    expect(list.stdout).toContain('evenings')
    expect(list.stdout).toContain(entry.id)

    const freeBusy = await runAs('sam', [
      'schedule',
      'free-busy',
      `rut@${domain}`,
      '--days',
      '1',
      '--json',
    ])
    const busy = JSON.parse(freeBusy.stdout) as { shown: boolean; busy: { kind: string }[] }
    expect(busy.shown).toBe(true)
    expect(busy.busy.length).toBeGreaterThan(0)

    expect((await runAs('rut', ['schedule', 'remove', entry.id])).stdout).toContain(
      `removed ${entry.id}`,
    )
    expect((await runAs('rut', ['schedule', 'list'])).stdout).not.toContain(entry.id)
  })

  it('sets working hours and my time zone', async () => {
    const set = await runAs('sam', [
      'schedule',
      'working-hours',
      'mon-fri 08:00-17:00',
      'sat 10:00-12:00',
      '--time-zone',
      'Europe/Stockholm',
    ])
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toBe(
      'working hours mon,tue,wed,thu,fri 08:00-17:00; sat 10:00-12:00 in Europe/Stockholm\n',
    )
  })

  it('sets and clears where I work by hand', async () => {
    await publishDevice(s, 'sam')
    const set = await runAs('sam', ['status', 'set', '--work-location', 'office:Lund'])
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain('works')
    expect(set.stdout).toContain('office (Lund)')
    const cleared = await runAs('sam', ['status', 'set', '--clear-work-location'])
    expect(cleared.stdout).not.toContain('office (Lund)')
  })

  it('refuses what it cannot send', async () => {
    const cases = [
      ['schedule', 'add', '--weekly', 'mon-fri 18:00-22:00'],
      ['schedule', 'add', '--dnd'],
      ['schedule', 'add', '--dnd', '--weekly', 'someday 18:00-22:00'],
      ['schedule', 'add', '--dnd', '--weekly', 'mon 18:00-22:00', '--until', '2h'],
      ['schedule', 'add', '--remote', '--travelling', '--until', '2h'],
      ['schedule', 'free-busy', `rut@${domain}`, '--days', '100'],
      ['status', 'set', '--work-location', 'remote:home'],
    ]
    for (const args of cases) {
      const result = await runAs('rut', args)
      expect(result.code, args.join(' ')).toBe(2)
    }
  })
})

// Integration: the team-availability commands of the CLI over the real server —
// `narvaro notify-when-available` waits once for a colleague to become available.
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

const addr = (name: string) => `${name}@${domain}`

describe('notify-when-available', () => {
  let s: TestServer
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    s = await startTestServer()
    await addUsers(s, ['nora', 'olof', 'pia'])
  })
  afterAll(async () => {
    await s.stop()
    removeDir(s.dataDir)
  })

  it('--wait prints the moment the person is available, once, and exits 0', async () => {
    const wait = startCli(['notify-when-available', addr('olof'), '--for', '1h', '--wait'], {
      env: env('nora'),
    })
    await wait.stderr.waitFor(new RegExp(`waiting until ${addr('olof')} is available`))
    const connect = startCli(['connect'], { env: env('olof') })
    await wait.stdout.waitFor(
      new RegExp(`^\\d{2}:\\d{2}:\\d{2} ${addr('olof')} is available$`, 'm'),
    )
    expect(await wait.exit).toBe(0)
    connect.signals.emit('SIGINT')
    expect(await connect.exit).toBe(0)
  })

  it('creates, lists and cancels a watch; bad input is a usage or API error', async () => {
    // Pia has never been online: the watch stays open.
    const created = await runCli(['notify-when-available', addr('pia'), '--for', '30m', '--json'], {
      env: env('nora'),
    })
    expect(created.code).toBe(0)
    const watch = JSON.parse(created.stdout) as { id: string; address: string }
    expect(watch.address).toBe(addr('pia'))
    const listed = await runCli(['notify-when-available', '--list'], { env: env('nora') })
    expect(listed.stdout).toContain(watch.id)
    expect(
      (await runCli(['notify-when-available', '--cancel', watch.id], { env: env('nora') })).code,
    ).toBe(0)
    expect(
      (await runCli(['notify-when-available', '--cancel', watch.id], { env: env('nora') })).code,
    ).toBe(1)
    expect(
      (await runCli(['notify-when-available', addr('olof'), '--for', 'soon'], { env: env('nora') }))
        .code,
    ).toBe(2)
    expect((await runCli(['notify-when-available'], { env: env('nora') })).code).toBe(2)
  })
})

describe('who --team, reach, route, pick', () => {
  let s: TestServer
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    s = await startTestServer()
    await addUsers(s, ['rut', 'sam', 'tor'])
    const created = await runCli(
      ['group', 'create', 'desk', '--members', [addr('sam'), addr('tor')].join(',')],
      {
        env: env('admin'),
      },
    )
    if (created.code !== 0) throw new Error(created.stderr)
    for (const name of ['sam', 'tor']) {
      const added = await runCli(['contact', 'add', 'im', addr(name)], { env: env(name) })
      if (added.code !== 0) throw new Error(added.stderr)
    }
    const voice = await runCli(['contact', 'add', 'voice', 'sip:sam@example.net', '--rank', '5'], {
      env: env('sam'),
    })
    expect(voice.stdout).toMatch(/voice\s+sip:sam@example.net\s+5\s+work/)
  })
  afterAll(async () => {
    await s.stop()
    removeDir(s.dataDir)
  })

  it('shows who of a team is reachable now, and answers reach, route and pick', async () => {
    const sam = startCli(['connect', '--capabilities', 'im,voice'], { env: env('sam') })
    await sam.stdout.waitFor(/online as/)
    const who = await runCli(['who', '--team', 'desk'], { env: env('rut') })
    expect(who.code).toBe(0)
    const lines = who.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ADDRESS\s+NAME\s+AVAILABILITY/)
    expect(lines[1]).toContain(addr('sam'))
    expect(lines[2]).toContain(addr('tor'))
    const available = await runCli(['who', '--team', 'desk', '--available', '--json'], {
      env: env('rut'),
    })
    expect((JSON.parse(available.stdout) as { address: string }[]).map((e) => e.address)).toEqual([
      addr('sam'),
    ])

    const picked = await runCli(['pick', '--team', 'desk'], { env: env('rut') })
    expect(picked.code).toBe(0)
    expect(picked.stdout).toContain(addr('sam'))
    const nobody = await runCli(['reach', addr('tor'), '--via', 'im'], { env: env('rut') })
    expect(nobody.code).toBe(1)
    expect(nobody.stdout).toMatch(/^no \(offline\)/)
    const routed = await runCli(['route', addr('tor'), '--urgency', 'low'], { env: env('rut') })
    expect(routed.code).toBe(0)
    expect(routed.stdout).toMatch(/\(offline\)/)

    expect((await runCli(['reach', addr('tor'), '--via', 'fax'], { env: env('rut') })).code).toBe(2)
    expect(
      (await runCli(['route', addr('tor'), '--urgency', 'soon'], { env: env('rut') })).code,
    ).toBe(2)
    expect((await runCli(['who', '--team', 'nope'], { env: env('rut') })).code).toBe(1)
    sam.signals.emit('SIGINT')
    expect(await sam.exit).toBe(0)
  })

  it('who --live prints who joins and leaves the answer', async () => {
    const live = startCli(['who', '--team', 'desk', '--available', '--live'], { env: env('rut') })
    await live.stdout.waitFor(/ \d+ match: /)
    const tor = startCli(['connect'], { env: env('tor') })
    await live.stdout.waitFor(new RegExp(`\\+ ${addr('tor')}`))
    await runCli(['status', 'set', 'busy'], { env: env('tor') })
    await live.stdout.waitFor(new RegExp(`- ${addr('tor')}`))
    live.signals.emit('SIGINT')
    expect(await live.exit).toBe(0)
    tor.signals.emit('SIGINT')
    expect(await tor.exit).toBe(0)
  })
})

describe('gather, invitations, answer, pick --skill', () => {
  let s: TestServer
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    s = await startTestServer()
    await addUsers(s, ['vera', 'wim', 'xia', 'yan'])
    const members = [addr('wim'), addr('xia'), addr('yan')].join(',')
    const created = await runCli(['group', 'create', 'helpdesk', '--members', members], {
      env: env('admin'),
    })
    if (created.code !== 0) throw new Error(created.stderr)
    for (const name of ['wim', 'xia', 'yan']) {
      const added = await runCli(['contact', 'add', 'im', addr(name)], { env: env(name) })
      if (added.code !== 0) throw new Error(added.stderr)
    }
    for (const [name, tags] of [
      ['wim', 'swedish'],
      ['xia', 'swedish,finnish'],
      ['yan', 'finnish'],
    ] as const) {
      const set = await runCli(['directory', 'set', addr(name), '--tags', tags], {
        env: env('admin'),
      })
      if (set.code !== 0) throw new Error(set.stderr)
    }
  })
  afterAll(async () => {
    await s.stop()
    removeDir(s.dataDir)
  })

  it('gathers who is free, follows the answers live, and the invitee answers from the CLI', async () => {
    const wim = startCli(['connect'], { env: env('wim') })
    await wim.stdout.waitFor(/online as/)
    const gather = startCli(['gather', '--team', 'helpdesk', '--topic', 'Triage', '--follow'], {
      env: env('vera'),
    })
    await gather.stdout.waitFor(new RegExp(`${addr('wim')} invited`))
    expect(gather.stdout.text).toMatch(new RegExp(`${addr('xia')} \\S*waiting|$`))
    const invitations = await runCli(['invitations', '--json'], { env: env('wim') })
    const [invitation] = JSON.parse(invitations.stdout) as { gathering: string; topic: string }[]
    expect(invitation!.topic).toBe('Triage')
    expect((await runCli(['invitations'], { env: env('xia') })).stderr).toContain('no invitations')
    const answered = await runCli(['answer', invitation!.gathering, 'accept'], { env: env('wim') })
    expect(answered.stdout.trim()).toBe('accepted')
    await gather.stdout.waitFor(new RegExp(`${addr('wim')} accepted`))
    expect(
      (await runCli(['answer', invitation!.gathering, 'maybe'], { env: env('wim') })).code,
    ).toBe(2)
    expect(
      (await runCli(['gather', '--cancel', invitation!.gathering], { env: env('vera') })).code,
    ).toBe(0)
    await gather.stdout.waitFor(/gathering cancelled/)
    expect(await gather.exit).toBe(0)
    wim.signals.emit('SIGINT')
    expect(await wim.exit).toBe(0)
  })

  it('pick --skill chooses only among the people with that skill who are free', async () => {
    const online = ['wim', 'xia', 'yan'].map((name) =>
      startCli(['connect', '--capabilities', 'im'], { env: env(name) }),
    )
    for (const run of online) await run.stdout.waitFor(/online as/)
    await runCli(['status', 'set', 'busy'], { env: env('wim') })
    const picks = new Set<string>()
    for (let i = 0; i < 3; i++) {
      const picked = await runCli(['pick', '--team', 'helpdesk', '--skill', 'swedish', '--json'], {
        env: env('vera'),
      })
      expect(picked.code).toBe(0)
      picks.add((JSON.parse(picked.stdout) as { picked: { address: string } }).picked.address)
    }
    // Wim speaks Swedish but is busy; Yan is free but does not: only Xia can be picked.
    expect([...picks]).toEqual([addr('xia')])
    const none = await runCli(['pick', '--team', 'helpdesk', '--skill', 'german'], {
      env: env('vera'),
    })
    expect(none.code).toBe(1)
    expect(none.stdout).toContain('nobody of helpdesk with german')
    for (const run of online) {
      run.signals.emit('SIGINT')
      expect(await run.exit).toBe(0)
    }
  })
})

// Integration: `narvaro connect` keeps a device online, so a manual choice shows to watchers; its
// end (SIGINT) ends the publication after the grace period; reconnects republish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatWhen } from '../../../src/cli/shared/output.js'
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
const line = (text: string) => new RegExp(`^\\d{2}:\\d{2}:\\d{2} ${text}$`, 'm')

describe('connect', () => {
  let s: TestServer
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    s = await startTestServer()
    await addUsers(s, ['alice', 'bob'])
  })
  afterAll(async () => {
    await s.stop()
    removeDir(s.dataDir)
  })

  it('makes me online for a watcher; my manual choice then shows at once (README)', async () => {
    const connect = startCli(['connect'], { env: env('alice') })
    await connect.stdout.waitFor(
      line(`online as ${addr('alice')} \\(device cli, available\\); Ctrl-C to disconnect`),
    )
    const watch = startCli(['watch', addr('alice')], { env: env('bob') })
    await watch.stdout.waitFor(line(`${addr('alice')} available`))

    const args = ['status', 'set', 'busy', '--activity', 'in-a-meeting', '--until', '30m']
    const before = Date.now()
    const set = await runCli([...args, '--note', 'Budget review'], { env: env('alice') })
    expect(set.code).toBe(0)
    expect(set.stderr).toBe('')
    await watch.stdout.waitFor(line(`${addr('alice')} busy \\(in-a-meeting\\) "Budget review"`))

    const get = await runCli(['status', 'get'], { env: env('alice') })
    const until = [before, Date.now()].map((t) => formatWhen(t + 30 * 60_000))
    const heads = until.map((u) => `${addr('alice')}  busy — manual choice until ${u}`)
    const [head, ...rest] = get.stdout.trimEnd().split('\n')
    expect(heads).toContain(head)
    expect(rest.map((text) => text.replace(/\s+/g, ' '))).toEqual([
      ' activity in-a-meeting (manual)',
      ' note "Budget review"',
      ' device cli: available',
    ])
    await runCli(['status', 'set', '--clear'], { env: env('alice') })
    await watch.stdout.waitFor(line(`${addr('alice')} available "Budget review"`))
    const lines = watch.stdout.text.trimEnd().split('\n')
    expect(lines.map((text) => text.slice(9))).toEqual([
      `${addr('alice')} available`,
      `${addr('alice')} busy (in-a-meeting)`,
      `${addr('alice')} busy (in-a-meeting) "Budget review"`,
      `${addr('alice')} available "Budget review"`,
    ])

    connect.signals.emit('SIGINT')
    expect(await connect.exit).toBe(0)
    expect(connect.stderr.text).toContain('the server ends the publication after its grace period')
    watch.signals.emit('SIGINT')
    expect(await watch.exit).toBe(0)
  })

  it('without any device, status set warns and suggests narvaro connect', async () => {
    const set = await runCli(['status', 'set', 'busy'], { env: env('bob') })
    expect(set.code).toBe(0)
    expect(set.stderr).toContain('no device of yours is online')
    expect(set.stderr).toContain('narvaro connect')
  })

  it('bad connect input is a usage error before connecting', async () => {
    const cases = [
      ['connect', '--availability', 'invisible'],
      ['connect', '--capabilities', 'im,fax'],
      ['connect', '--device', 'has space'],
    ]
    for (const args of cases) {
      const result = await runCli(args, { env: env('alice') })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(/^error: /)
    }
    const env0 = { ...env('alice'), NARVARO_RECONNECT_MAX: '0' }
    const result = await runCli(['connect'], { env: env0 })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: NARVARO_RECONNECT_MAX="0": seconds, from 1 to 3600/)
  })
})

describe('connect with a grace period of 0', () => {
  let s: TestServer
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    s = await startTestServer({ env: { NARVARO_GRACE_PERIOD: '0' } })
    await addUsers(s, ['erik', 'fia'])
  })
  afterAll(async () => {
    await s?.stop()
    removeDir(s.dataDir)
  })

  it('ending connect ends the publication: the watcher sees offline', async () => {
    const connect = startCli(['connect', '--device', 'desk', '--name', 'Desk'], {
      env: env('erik'),
    })
    await connect.stdout.waitFor(/online as erik@acme\.example \(device desk, available\)/)
    const watch = startCli(['watch', addr('erik')], { env: env('fia') })
    await watch.stdout.waitFor(line(`${addr('erik')} available`))
    connect.signals.emit('SIGTERM')
    expect(await connect.exit).toBe(0)
    await watch.stdout.waitFor(line(`${addr('erik')} offline( \\(last seen [^)]+\\))?`))
    const get = await runCli(['status', 'get'], { env: env('erik') })
    expect(get.stdout.split('\n')[0]).toBe(`${addr('erik')}  offline — no live source`)
    watch.signals.emit('SIGINT')
    expect(await watch.exit).toBe(0)
  })

  it('reconnects after a server restart and republishes, not as activity', async () => {
    const { dataDir } = s
    const port = Number(new URL(s.url).port)
    const connect = startCli(['connect', '--json'], { env: env('erik') })
    await connect.stdout.waitFor(/"event":"online"/)
    await s.stop()
    await connect.stderr.waitFor(/connection closed \(1001[^)]*\); reconnecting/)
    s = await startTestServer({ dataDir, port, env: { NARVARO_GRACE_PERIOD: '0' } })
    await connect.stdout.waitFor(/"event":"reconnected"/)
    const events = connect.stdout.text
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { event: string; address: string; source: string })
    expect(events.map((e) => e.event)).toEqual(['online', 'reconnected'])
    expect(events[1]).toMatchObject({ address: addr('erik'), source: 'cli' })
    const get = await runCli(['status', 'get', '--json'], { env: env('erik') })
    const own = JSON.parse(get.stdout) as {
      presence: { devices: { id: string; idle: boolean }[]; provenance: unknown }
    }
    // `active: false`: the new server run has no activity of erik on record, so the device is idle
    expect(own.presence.devices).toMatchObject([{ id: 'cli', idle: true }])
    expect(own.presence.provenance).toMatchObject({ availability: { rule: 'idle' } })
    connect.signals.emit('SIGINT')
    expect(await connect.exit).toBe(0)
  })
})

// Integration: `status`, `who`, `subscribe` and `watch` through the CLI against the real server,
// with provenance ("busy — manual choice until 17:00") and live changes of a colleague.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatWhen } from '../../../src/cli/shared/output.js'
import type { TestServer } from './cli-harness.js'
import {
  addUsers,
  domain,
  envOf,
  publishDevice,
  removeDir,
  runCli,
  startCli,
  startTestServer,
} from './cli-harness.js'

let s: TestServer
const env = (name: string) => envOf(s, name)
const addr = (name: string) => `${name}@${domain}`

beforeAll(async () => {
  s = await startTestServer()
  await addUsers(s, ['alice', 'bob', 'cid', 'dee'])
})
afterAll(async () => {
  await s.stop()
  removeDir(s.dataDir)
})

describe('status', () => {
  it('a manual choice without any live device warns that watchers see offline', async () => {
    const result = await runCli(['status', 'set', 'busy'], { env: env('cid') })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`${addr('cid')}  offline — no live source`)
    expect(result.stderr).toContain('no device of yours is online')
  })

  it('status set and get show availability with its provenance, activities and note', async () => {
    await publishDevice(s, 'alice')
    const until = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000)
    const args = [
      ...'status set busy --activity in-a-meeting --until'.split(' '),
      until.toISOString(),
    ]
    const set = await runCli([...args, '--note', 'back at 3', '--note-until', '1h'], {
      env: env('alice'),
    })
    expect(set.code).toBe(0)
    const head = `${addr('alice')}  busy — manual choice until ${formatWhen(until.getTime())}`
    expect(set.stdout.split('\n')[0]).toBe(head)
    expect(set.stderr).toBe('')

    const get = await runCli(['status', 'get'], { env: env('alice') })
    expect(get.code).toBe(0)
    expect(get.stdout.split('\n')[0]).toBe(head)
    expect(get.stdout).toMatch(/activity\s+in-a-meeting \(manual\)/)
    expect(get.stdout).toMatch(/note\s+"back at 3" until /)
    expect(get.stdout).toMatch(/device\s+laptop: available/)
  })

  it('status get --json carries the presence with its provenance', async () => {
    const json = await runCli(['status', 'get', '--json'], { env: env('alice') })
    const own = JSON.parse(json.stdout) as {
      presence: { provenance: { availability: { rule: string; until: number } } }
    }
    expect(own.presence.provenance.availability.rule).toBe('manual')
    expect(own.presence.provenance.availability.until).toBeGreaterThan(Date.now())
  })

  it('a colleague sees the view of an address, and --clear goes back to the device', async () => {
    const view = await runCli(['status', 'get', addr('alice')], { env: env('bob') })
    expect(view.code).toBe(0)
    expect(view.stdout).toMatch(/availability\s+busy/)
    expect(view.stdout).toMatch(/activities\s+in-a-meeting/)
    const cleared = await runCli(['status', 'set', '--clear'], { env: env('alice') })
    expect(cleared.code).toBe(0)
    expect(cleared.stdout).toMatch(new RegExp(`^${addr('alice')}  available — device laptop until`))
  })

  it('an unknown address exits 1 with NRV_NOT_FOUND', async () => {
    const result = await runCli(['status', 'get', addr('nobody')], { env: env('bob') })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^error NRV_NOT_FOUND: /)
  })

  it('bad status input is a usage error, checked before anything is sent', async () => {
    const cases = [
      ['status', 'set', 'sleepy'],
      ['status', 'set'],
      ['status', 'set', '--until', '30m'],
      ['status', 'set', 'busy', '--until', 'yesterday'],
      ['status', 'set', 'busy', '--until', '2001-01-01T00:00:00Z'],
      ['status', 'set', 'busy', '--activity', 'napping'],
      ['status', 'set', '--note', 'x'.repeat(501)],
    ]
    for (const args of cases) {
      const result = await runCli(args, { env: env('alice') })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(/^error: /)
    }
  })
})

describe('who and subscriptions', () => {
  it('subscribe, who as a table and as JSON, unsubscribe', async () => {
    await runCli(['status', 'set', '--note', 'lunch'], { env: env('alice') })
    const sub = await runCli(['subscribe', addr('alice')], { env: env('dee') })
    expect(sub.code).toBe(0)
    expect(sub.stdout).toContain(`watching ${addr('alice')}`)
    const who = await runCli(['who'], { env: env('dee') })
    expect(who.code).toBe(0)
    const [header, row] = who.stdout.split('\n')
    expect(header).toMatch(/^ADDRESS\s+NAME\s+AVAILABILITY\s+ACTIVITIES\s+NOTE\s+LAST SEEN$/)
    expect(row).toMatch(new RegExp(`^${addr('alice')}\\s+alice\\s+available\\s+lunch\\s+now$`))
    const json = JSON.parse((await runCli(['who', '--json'], { env: env('dee') })).stdout) as {
      presentityAddress: string
    }[]
    expect(json.map((x) => x.presentityAddress)).toEqual([addr('alice')])
    expect((await runCli(['unsubscribe', addr('alice')], { env: env('dee') })).code).toBe(0)
    const again = await runCli(['unsubscribe', addr('alice')], { env: env('dee') })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^error NRV_NOT_FOUND/)
  })
})

describe('watch', () => {
  it('sees a colleague’s change live, one line each, and ends after --count lines', async () => {
    await publishDevice(s, 'bob')
    const watch = startCli(['watch', addr('bob'), '--count', '2'], { env: env('alice') })
    await watch.stdout.waitFor(new RegExp(`^\\d{2}:\\d{2}:\\d{2} ${addr('bob')} available\\n`))
    const set = await runCli(['status', 'set', 'do-not-disturb', '--activity', 'focusing'], {
      env: env('bob'),
    })
    expect(set.code).toBe(0)
    expect(await watch.exit).toBe(0)
    const lines = watch.stdout.text.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(
      new RegExp(`^\\d{2}:\\d{2}:\\d{2} ${addr('bob')} do-not-disturb \\(focusing\\)$`),
    )
  })

  it('prints JSON lines with --json', async () => {
    const result = await runCli(['watch', addr('bob'), '--count', '1', '--json'], {
      env: env('alice'),
    })
    expect(result.code).toBe(0)
    const message = JSON.parse(result.stdout) as {
      type: string
      address: string
      seq: number
      view: { availability: string }
    }
    expect(message).toMatchObject({
      type: 'snapshot',
      address: addr('bob'),
      view: { availability: 'do-not-disturb' },
    })
    expect(message.seq).toBeGreaterThan(0)
  })

  it('reports addresses that cannot be watched, and exits 1 when none can', async () => {
    const some = await runCli(['watch', addr('bob'), addr('nobody'), '--count', '1'], {
      env: env('alice'),
    })
    expect(some.code).toBe(0)
    expect(some.stderr).toMatch(/error NRV_NOT_FOUND: .*nobody@acme\.example/)
    expect(some.stdout).toContain(addr('bob'))
    const none = await runCli(['watch', addr('nobody')], { env: env('alice') })
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('error NRV_NOT_FOUND')
  })

  it('ends on SIGINT with exit 0', async () => {
    const watch = startCli(['watch', addr('bob')], { env: env('alice') })
    await watch.stdout.waitFor(/do-not-disturb/)
    watch.signals.emit('SIGINT')
    expect(await watch.exit).toBe(0)
  })

  it('a server that cannot be reached exits 3', async () => {
    const result = await runCli([
      'watch',
      addr('bob'),
      '--server',
      'http://127.0.0.1:1',
      '--token',
      'nrv_x',
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('cannot reach the server at http://127.0.0.1:1')
  })

  it('a bad token is refused at the upgrade with exit 1', async () => {
    const result = await runCli(['watch', addr('bob'), '--server', s.url, '--token', 'nrv_forged'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^error NRV_UNAUTHENTICATED: /)
  })
})

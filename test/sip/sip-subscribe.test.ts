// The SIP gateway with sipp (Debian's sip-tester) as the real SIP peer: a watcher's phone subscribes
// to a colleague's presence over UDP and over TCP with digest authentication, gets the initial PIDF,
// sees a change made over REST, and unsubscribes; a wrong SIP password never gets in.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addUsers,
  api,
  domain,
  eventually,
  startHarness,
  type Harness,
} from '../support/server-harness.js'

const run = promisify(execFile)
const scenario = join(import.meta.dirname, 'scenarios', 'subscribe-presence.xml')
const publishing = join(import.meta.dirname, 'scenarios', 'publish-presence.xml')
const refreshing = join(import.meta.dirname, 'scenarios', 'subscribe-refresh-expire.xml')
const sipPassword = 'phone-secret-for-bob-42'

let harness: Harness
let tokens: Record<string, string>
let port: number
const dir = mkdtempSync(join(tmpdir(), 'narvaro-sipp-'))

beforeAll(async () => {
  // sipp answers only the first challenge, and only in MD5; a 2 s subscription is taken, to expire.
  harness = await startHarness({
    env: { NARVARO_SIP_PORT: '0', NARVARO_SIP_DIGEST: 'MD5', NARVARO_SIP_MIN_EXPIRES: '1' },
  })
  port = harness.server.sip!.port
  ;({ tokens } = await addUsers(harness.url, ['amy', 'bob']))
  const set = await api(harness.url, {
    method: 'PUT',
    path: '/v1/me/sip-password',
    token: tokens['bob'],
    body: { password: sipPassword },
  })
  expect(set.status).toBe(204)
  await api(harness.url, {
    path: '/v1/subscriptions',
    token: tokens['bob'],
    body: { address: `amy@${domain}` },
  })
})

afterAll(async () => {
  await harness?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Amy's desk phone publishes her availability (over REST, as any source). */
const setAmy = (availability: string) =>
  api(harness.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: tokens['amy'],
    body: { availability, ttlSeconds: 600 },
  })

/** Runs a scenario as Bob's phone; resolves with sipp's exit code and output. */
const sipp = (transport: 'u1' | 't1', ready: string, file = scenario, password = sipPassword) =>
  run(
    'sipp',
    [
      ...['-sf', file, `127.0.0.1:${port}`, '-t', transport, '-i', '127.0.0.1', '-p', '0'],
      ...['-m', '1', '-s', 'bob', '-au', 'bob', '-ap', password, '-timeout', '30s', '-nostdin'],
      ...['-key', 'presentity', 'amy', '-key', 'domain', domain, '-key', 'ready', ready],
      ...['-trace_err'],
    ],
    { cwd: dir, timeout: 40_000 },
  ).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  )

describe('SIP presence subscriptions with sipp', { timeout: 60_000 }, () => {
  for (const transport of ['u1', 't1'] as const) {
    it(`subscribes, gets the initial and the changed PIDF, and unsubscribes (${transport === 'u1' ? 'UDP' : 'TCP'})`, async () => {
      await setAmy('available')
      const ready = join(dir, `ready-${transport}`)
      const phone = sipp(transport, ready)
      // sipp ends early (an error) or signals that the initial NOTIFY came.
      const early = await Promise.race([phone, eventually(() => existsSync(ready), 20_000)])
      if (early) expect(early.code, early.output).toBe(0)
      await setAmy('busy')
      const { code, output } = await phone
      expect(code, output).toBe(0)
    })
  }

  it('refreshes a subscription (the state comes again) and ends it at its expiry', async () => {
    await setAmy('available')
    const { code, output } = await sipp('u1', join(dir, 'unused'), refreshing)
    expect(code, output).toBe(0)
  })

  it('takes a phone’s PUBLISH as a source of its user, and its removal', async () => {
    const published = join(dir, 'published')
    const phone = run(
      'sipp',
      [
        ...['-sf', publishing, `127.0.0.1:${port}`, '-t', 'u1', '-i', '127.0.0.1', '-p', '0'],
        ...['-m', '1', '-s', 'bob', '-au', 'bob', '-ap', sipPassword, '-timeout', '30s'],
        ...['-nostdin', '-key', 'domain', domain, '-key', 'published', published, '-trace_err'],
      ],
      { cwd: dir, timeout: 40_000 },
    )
    await eventually(() => existsSync(published), 20_000)
    type Own = {
      presence: { availability: string; note?: { text: string }; activities: { kind: string }[] }
    }
    const own = () => api<Own>(harness.url, { path: '/v1/me/presence', token: tokens['bob'] })
    const during = (await own()).body.presence
    expect(during).toMatchObject({ availability: 'busy', note: { text: 'Call me later' } })
    expect(during.activities).toContainEqual({ kind: 'in-a-call' })
    await phone
    expect((await own()).body.presence.availability).toBe('offline')
  })
})

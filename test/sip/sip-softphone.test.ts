// The SIP gateway as docs/sip.md sets it up, with clients nobody here wrote: baresip, a softphone,
// subscribes over TLS to a colleague in its address book and shows her online, busy and online again;
// sipp, as a desk phone's busy lamp, sees her call begin; and she changes her status with the
// `narvaro` command line, as a person does.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Softphone } from '../support/baresip.js'
import { api, domain, eventually, type Harness } from '../support/server-harness.js'
import { sipSecret, startSipServer } from '../support/sip-phone.js'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const lamp = join(import.meta.dirname, 'scenarios', 'subscribe-dialog.xml')
const dir = mkdtempSync(join(tmpdir(), 'narvaro-softphone-'))

let harness: Harness
let tokens: Record<string, string>
let softphone: Softphone | undefined

beforeAll(async () => {
  ;({ harness, tokens } = await startSipServer(['amy', 'bob'], ['bob'], {
    NARVARO_SIP_TLS_PORT: '0',
    // baresip and sipp answer the first challenge only, and in MD5 (docs/sip.md).
    NARVARO_SIP_DIGEST: 'MD5',
  }))
  await api(harness.url, {
    path: '/v1/subscriptions',
    token: tokens['bob'],
    body: { address: `amy@${domain}` },
  })
  // Amy's desk phone is on (any source would do); her status comes from the command line.
  await api(harness.url, {
    method: 'PUT',
    path: '/v1/me/presence/sources/desk',
    token: tokens['amy'],
    body: { availability: 'available', ttlSeconds: 600 },
  })
})

afterAll(async () => {
  await softphone?.stop()
  await harness?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** `narvaro ARGS` as Amy, the built command line in its own process. */
const narvaro = (...args: string[]) =>
  run(process.execPath, [join(root, 'bin', 'narvaro.js'), ...args, '--server', harness.url], {
    env: { PATH: process.env['PATH'], NARVARO_TOKEN: tokens['amy'], NARVARO_CONFIG_DIR: dir },
  })

let lastContacts = ''
/** What baresip's address book shows for Amy: `online`, `busy`, `offline`, `unknown`. */
const shown = async (): Promise<string> => {
  const contacts = await softphone!.command('contacts')
  lastContacts = contacts
  // Without its colours: `\x1b[32mOnline\x1b[;m Amy <sip:amy@acme.example>`.
  const plain = stripVTControlCharacters(contacts)
  const line = plain.split('\n').find((l) => l.includes(`amy@${domain}`)) ?? ''
  return /\b(online|offline|busy|unknown)\b/i.exec(line)?.[1]?.toLowerCase() ?? line
}

/** Bob's desk phone lamp of Amy (sipp, UDP): resolves with sipp's exit code and output. */
const busyLamp = (ready: string) =>
  run(
    'sipp',
    [
      ...['-sf', lamp, `127.0.0.1:${harness.server.sip!.port}`, '-t', 'u1', '-i', '127.0.0.1'],
      ...['-p', '0', '-m', '1', '-s', 'bob', '-au', 'bob', '-ap', sipSecret, '-timeout', '30s'],
      ...[
        '-nostdin',
        '-key',
        'presentity',
        'amy',
        '-key',
        'domain',
        domain,
        '-key',
        'ready',
        ready,
      ],
      '-trace_err',
    ],
    { cwd: dir, timeout: 40_000 },
  ).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  )

describe('a softphone and a busy lamp follow a status set on the command line', () => {
  it('baresip over TLS shows Amy online, busy in a call (sipp’s lamp lights), online again', async () => {
    const tls = harness.server.sip!.tlsPort!
    softphone = await Softphone.start({
      account: `<sip:bob@${domain};transport=tls>;auth_pass=${sipSecret};outbound="sip:127.0.0.1:${tls};transport=tls";regint=0`,
      contacts: [`"Amy" <sip:amy@${domain}>;presence=p2p`],
    })
    await eventually(async () => (await shown()) === 'online', 10_000).catch(() => {
      throw new Error(`baresip never showed Amy online:\n${JSON.stringify(lastContacts)}`)
    })

    const ready = join(dir, 'lamp-ready')
    const lampDone = busyLamp(ready)
    const early = await Promise.race([lampDone, eventually(() => existsSync(ready), 20_000)])
    if (early) expect(early.code, early.output).toBe(0)

    await narvaro('status', 'set', 'busy', '--activity', 'in-a-call')
    const { code, output } = await lampDone
    expect(code, output).toBe(0)
    await eventually(async () => (await shown()) === 'busy', 10_000)

    await narvaro('status', 'set', 'available')
    await eventually(async () => (await shown()) === 'online', 10_000)
  }, 60_000)
})

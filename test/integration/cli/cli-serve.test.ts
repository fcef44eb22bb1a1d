// Integration: `narvaro serve` and `admin init` in-process, and `watch` reconnecting and resuming
// when the server shuts down (close code 1001) and comes back.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { heapFlags } from '../../../src/server/heap-flags.js'
import type { TestServer } from './cli-harness.js'
import {
  adminPassword,
  domain,
  envOf,
  loginAs,
  publishDevice,
  removeDir,
  runCli,
  startCli,
  startTestServer,
} from './cli-harness.js'

/** `text` as a pattern that matches it literally. */
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const dirs: string[] = []
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'narvaro-cli-serve-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach(removeDir))

describe('serve', () => {
  it('first start prints the admin and a one-time password, not through the log', async () => {
    const dataDir = freshDir()
    const env = {
      NARVARO_DOMAIN: 'first.example',
      NARVARO_CONFIG_DIR: join(dataDir, 'config'),
      NARVARO_XMPP_PORT: '0',
    }
    const serve = startCli(
      ['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'],
      { env },
    )
    const [, url] = await serve.stderr.waitFor(/listening on (http:\/\/\S+)/)
    const text = serve.stderr.text
    expect(text).toContain('created organization first.example')
    expect(text).toContain('admin:    admin@first.example')
    expect(text).toContain('shown once')
    expect(text).toContain(`sign in with: narvaro login admin@first.example --server ${url}`)
    expect(text).toMatch(
      /XMPP clients: 127\.0\.0\.1 port [1-9]\d* \(STARTTLS\), accounts like user@first\.example/,
    )
    const password = /password: (\S+)/.exec(text)?.[1]
    expect(serve.stdout.text).toBe('')
    // Started without the heap settings (the test's Node has none), it names them once.
    await serve.stderr.waitFor(
      new RegExp(`note: Node runs without ${escaped(heapFlags.join(' '))}, the heap settings`),
    )

    const login = await runCli(
      ['login', 'admin@first.example', '--password-stdin', '--server', url!],
      {
        env,
        // The generated password is one-time: the second line is the admin's own.
        stdin: `${password!}\nthe admin's own password\n`,
      },
    )
    expect(login.code).toBe(0)
    expect(login.stderr).toContain('one-time')
    serve.signals.emit('SIGTERM')
    expect(await serve.exit).toBe(0)

    const again = startCli(
      ['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'],
      { env: { ...env, NODE_OPTIONS: '--max-semi-space-size=32' } },
    )
    await again.stderr.waitFor(/sign in with/)
    expect(again.stderr.text).not.toContain('password')
    // The operator's own young generation is kept; only the setting still missing is named.
    expect(again.stderr.text).toContain(
      `note: Node runs without ${heapFlags.slice(2).join(' ')}, the`,
    )
    again.signals.emit('SIGINT')
    expect(await again.exit).toBe(0)
  })
})

describe('admin init', () => {
  it('creates the organization offline, shows the password once, refuses twice', async () => {
    const dataDir = freshDir()
    const init = await runCli(['admin', 'init', '--domain', 'init.example', '--data-dir', dataDir])
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('admin:    admin@init.example')
    expect(init.stdout).toMatch(/password: \S{16,}/)
    expect(init.stdout).toContain('shown once')
    const again = await runCli(['admin', 'init', '--domain', 'init.example', '--data-dir', dataDir])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe('error NRV_CONFLICT: organization init.example already exists\n')
  })

  it('uses NARVARO_ADMIN_PASSWORD and --admin, and checks them', async () => {
    const dataDir = freshDir()
    const env = { NARVARO_ADMIN_PASSWORD: adminPassword }
    const init = await runCli(
      [
        'admin',
        'init',
        '--domain',
        'own.example',
        '--data-dir',
        dataDir,
        '--admin',
        'root',
        '--json',
      ],
      { env },
    )
    expect(init.code).toBe(0)
    expect(JSON.parse(init.stdout)).toMatchObject({ admin: { address: 'root@own.example' } })
    expect(init.stdout).not.toContain(adminPassword)
    const other = await runCli([
      'admin',
      'init',
      '--domain',
      'x.example',
      '--data-dir',
      dataDir,
      '--admin',
      'root@elsewhere.example',
    ])
    expect(other.code).toBe(2)
    const short = await runCli(['admin', 'init', '--domain', 'y.example', '--data-dir', dataDir], {
      env: { NARVARO_ADMIN_PASSWORD: 'short' },
    })
    expect(short.code).toBe(2)
    expect(short.stderr).toContain('NRV_CONFIG_INVALID')
    expect(short.stderr).not.toContain('short"')
  })
})

describe('watch across a server restart', () => {
  let s: TestServer | undefined
  afterAll(async () => s?.stop())

  it('reconnects after close code 1001; a new server run gives a resync snapshot', async () => {
    s = await startTestServer({ dataDir: freshDir() })
    const { dataDir } = s
    const port = Number(new URL(s.url).port)
    await loginAs(s, 'admin', adminPassword)
    await runCli(['user', 'add', 'gus', '--password-stdin'], {
      env: envOf(s, 'admin'),
      stdin: 'gus-password-long',
    })
    await loginAs(s, 'gus', 'gus-password-long')
    await publishDevice(s, 'gus')
    await runCli(['status', 'set', '--note', 'on call'], { env: envOf(s, 'gus') })

    const watch = startCli(['watch', `gus@${domain}`, '--count', '2'], { env: envOf(s, 'admin') })
    await watch.stdout.waitFor(/gus@acme\.example available "on call"/)
    await s.stop()
    await watch.stderr.waitFor(/connection closed \(1001 server shutting down\); reconnecting/)
    s = await startTestServer({ dataDir, port })
    expect(await watch.exit).toBe(0)
    const lines = watch.stdout.text.trim().split('\n')
    expect(lines[1]).toMatch(
      /gus@acme\.example offline "on call"( \(last seen [^)]+\))? \[resync\]$/,
    )
  })
})

// Integration: `narvaro password`, `narvaro login` with a one-time password, and the offline
// `narvaro admin reset-password` with its data-directory lock, against the real server.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TestServer } from './cli-harness.js'
import {
  adminAddress,
  domain,
  envOf,
  loginAs,
  addUsers,
  removeDir,
  runCli,
  startTestServer,
} from './cli-harness.js'

let s: TestServer | undefined
afterEach(async () => {
  await s?.stop()
  if (s) removeDir(s.dataDir)
  s = undefined
})

const signIn = (server: TestServer, name: string, stdin: string) =>
  runCli(['login', `${name}@${domain}`, '--password-stdin'], { env: envOf(server, name), stdin })

describe('narvaro password', () => {
  it('changes my password with the current one, and may revoke my other tokens', async () => {
    s = await startTestServer()
    await addUsers(s, ['amy'])
    const changed = await runCli(['password', '--password-stdin', '--revoke-other-tokens'], {
      env: envOf(s, 'amy'),
      stdin: 'amy-password-long\namy chose this herself\n',
    })
    expect(changed.code).toBe(0)
    expect(changed.stdout).toContain(`password changed for amy@${domain}`)
    expect((await signIn(s, 'amy', 'amy-password-long\n')).code).toBe(1)
    expect((await signIn(s, 'amy', 'amy chose this herself\n')).code).toBe(0)
  })

  it('refuses a common password without repeating it', async () => {
    s = await startTestServer()
    await addUsers(s, ['amy'])
    const weak = await runCli(['password', '--password-stdin'], {
      env: envOf(s, 'amy'),
      stdin: 'amy-password-long\nPassword123456\n',
    })
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('NRV_PASSWORD_WEAK')
    expect(weak.stderr).not.toContain('Password123456')
  })

  it('login with a one-time password and no way to ask for a new one keeps the sign-in for `narvaro password`', async () => {
    s = await startTestServer()
    await loginAs(s, 'admin', 'correct horse battery staple')
    await runCli(['user', 'add', 'bo', '--password-stdin'], {
      env: envOf(s, 'admin'),
      stdin: 'bo-first-password',
    })
    const first = await signIn(s, 'bo', 'bo-first-password\n')
    expect(first.code).toBe(2)
    expect(first.stderr).toContain('narvaro password')
    const status = await runCli(['status', 'get'], { env: envOf(s, 'bo') })
    expect(status.stderr).toContain('NRV_PASSWORD_CHANGE_REQUIRED')
    const changed = await runCli(['password', '--password-stdin'], {
      env: envOf(s, 'bo'),
      stdin: 'bo-first-password\nbo picked a new one\n',
    })
    expect(changed.code).toBe(0)
    expect((await runCli(['status', 'get'], { env: envOf(s, 'bo') })).code).toBe(0)
  })
})

describe('narvaro admin reset-password', () => {
  it('is refused while a server holds the data directory, and works offline', async () => {
    s = await startTestServer()
    const dataDir = s.dataDir
    const refused = await runCli(['admin', 'reset-password', adminAddress, '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('in use by process')
    await s.stop()
    const reset = await runCli(['admin', 'reset-password', adminAddress, '--data-dir', dataDir])
    expect(reset.code).toBe(0)
    const password = /one-time password for \S+: (\S+)/.exec(reset.stdout)?.[1]
    expect(password).toBeDefined()
    s = await startTestServer({ dataDir })
    const login = await signIn(s, 'admin', `${password!}\nthe admin's new password\n`)
    expect(login.code).toBe(0)
    expect(login.stderr).toContain('one-time')
  })

  it('takes over the stale lock of a process that is gone', async () => {
    s = await startTestServer()
    const dataDir = s.dataDir
    await s.stop()
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid
    writeFileSync(join(dataDir, 'narvaro.lock'), JSON.stringify({ pid: gone, since: 0 }))
    const reset = await runCli(['admin', 'reset-password', adminAddress, '--data-dir', dataDir])
    expect(reset.code).toBe(0)
    s = await startTestServer({ dataDir })
  })
})

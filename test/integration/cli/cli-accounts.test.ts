// Integration: the CLI's sign-in, users, tokens and exit codes, against the real server in-process.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from './cli-harness.js'
import {
  adminAddress,
  adminPassword,
  domain,
  envOf,
  loginAs,
  removeDir,
  runCli,
  savedToken,
  startTestServer,
} from './cli-harness.js'

let s: TestServer
const admin = () => envOf(s, 'admin')

beforeAll(async () => {
  s = await startTestServer()
  await loginAs(s, 'admin', adminPassword)
})
afterAll(async () => {
  await s.stop()
  removeDir(s.dataDir)
})

describe('signing in', () => {
  it('login saves the token in a file only its owner reads, and prints no token', async () => {
    const result = await runCli(['login', adminAddress, '--password-stdin'], {
      env: admin(),
      stdin: `${adminPassword}\n`,
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`signed in as ${adminAddress} (admin) at ${s.url}`)
    const file = join(s.configDir('admin'), 'credentials.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const token = savedToken(s, 'admin')
    expect(token).toMatch(/^nrv_/)
    expect(result.stdout + result.stderr).not.toContain(token)
  })

  it('the password may come from NARVARO_PASSWORD', async () => {
    const env = { ...envOf(s, 'env-login'), NARVARO_PASSWORD: adminPassword }
    const result = await runCli(['login', adminAddress], { env })
    expect(result.code).toBe(0)
  })

  it('a wrong password exits 1 with NRV_UNAUTHENTICATED and saves nothing', async () => {
    const env = envOf(s, 'wrong')
    const result = await runCli(['login', adminAddress, '--password-stdin'], {
      env,
      stdin: 'nope\n',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^error NRV_UNAUTHENTICATED: /)
    const who = await runCli(['who'], { env })
    expect(who.code).toBe(2)
    expect(who.stderr).toContain('not signed in')
  })

  it('without a terminal, stdin or NARVARO_PASSWORD login is a usage error', async () => {
    const result = await runCli(['login', adminAddress], { env: envOf(s, 'no-tty') })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--password-stdin')
  })

  it('logout revokes the token and deletes the file', async () => {
    const env = envOf(s, 'leaving')
    const login = await runCli(['login', adminAddress, '--password-stdin'], {
      env,
      stdin: adminPassword,
    })
    expect(login.code).toBe(0)
    const token = savedToken(s, 'leaving')
    const result = await runCli(['logout'], { env })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`signed out ${adminAddress}`)
    const reply = await fetch(`${s.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(reply.status).toBe(401)
    expect((await runCli(['user', 'list'], { env })).code).toBe(2)
  })
})

describe('users', () => {
  it('an admin adds a user with a one-time password, lists and removes them', async () => {
    const added = await runCli(['user', 'add', 'carol', '--name', 'Carol C'], { env: admin() })
    expect(added.code).toBe(0)
    expect(added.stdout).toContain(`added carol@${domain} (member)`)
    const password = /one-time password: (\S+)/.exec(added.stdout)?.[1]
    expect(password).toBeDefined()
    expect(added.stdout).toContain('shown once')
    await loginAs(s, 'carol', password!)

    const list = await runCli(['user', 'list'], { env: admin() })
    expect(list.code).toBe(0)
    expect(list.stdout.split('\n')[0]).toMatch(/^ADDRESS\s+NAME\s+ROLE/)
    expect(list.stdout).toMatch(new RegExp(`carol@${domain}\\s+Carol C\\s+member`))
    const json = await runCli(['user', 'list', '--json'], { env: admin() })
    const users = JSON.parse(json.stdout) as { address: string }[]
    expect(users.map((u) => u.address)).toEqual(
      expect.arrayContaining([adminAddress, `carol@${domain}`]),
    )

    const removed = await runCli(['user', 'remove', `carol@${domain}`], { env: admin() })
    expect(removed.code).toBe(0)
    const after = await runCli(['who'], { env: envOf(s, 'carol') })
    expect(after.code).toBe(1)
    expect(after.stderr).toMatch(/^error NRV_UNAUTHENTICATED: /)
  })

  it('a member who tries to manage users is refused with exit 1 and NRV_FORBIDDEN', async () => {
    await runCli(['user', 'add', 'dora', '--password-stdin'], {
      env: admin(),
      stdin: 'dora-password-long\n',
    })
    await loginAs(s, 'dora', 'dora-password-long')
    const result = await runCli(['user', 'add', 'eve'], { env: envOf(s, 'dora') })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^error NRV_FORBIDDEN: only an admin may manage users/)
    expect(result.stdout).toBe('')
  })

  it('adding an existing user shows the server’s code', async () => {
    await runCli(['user', 'add', 'fred'], { env: admin() })
    const again = await runCli(['user', 'add', 'fred'], { env: admin() })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^error NRV_CONFLICT: /)
  })
})

describe('tokens', () => {
  it('creates a token shown once, lists it, and revokes it', async () => {
    const created = await runCli(['token', 'create', 'desk phone', '--ttl', '30d', '--json'], {
      env: admin(),
    })
    expect(created.code).toBe(0)
    const { token, tokenInfo } = JSON.parse(created.stdout) as {
      token: string
      tokenInfo: { id: string }
    }
    const viaToken = await runCli(['user', 'list', '--token', token, '--server', s.url])
    expect(viaToken.code).toBe(0)
    const list = await runCli(['token', 'list'], { env: admin() })
    expect(list.stdout).toMatch(new RegExp(`${tokenInfo.id}\\s+desk phone\\s+active`))
    expect(list.stdout).not.toContain(token)
    const revoked = await runCli(['token', 'revoke', tokenInfo.id], { env: admin() })
    expect(revoked.code).toBe(0)
    const after = await runCli(['user', 'list'], {
      env: { NARVARO_URL: s.url, NARVARO_TOKEN: token },
    })
    expect(after.code).toBe(1)
  })

  it('a ttl that is not a duration is a usage error', async () => {
    const result = await runCli(['token', 'create', 'x', '--ttl', 'forever'], { env: admin() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--ttl')
  })
})

describe('exit codes', () => {
  it('a server that cannot be reached exits 3 and names the URL tried', async () => {
    const result = await runCli(
      ['login', adminAddress, '--password-stdin', '--server', 'http://127.0.0.1:1'],
      {
        stdin: adminPassword,
      },
    )
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('cannot reach the server at http://127.0.0.1:1')
  })

  it('a URL that is not one is a usage error', async () => {
    const result = await runCli(['who', '--server', 'not a url', '--token', 'nrv_x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--server')
  })

  it('bad flag values and unknown commands exit 2', async () => {
    const port = await runCli(['serve', '--port', 'seventy'], {
      env: { NARVARO_DATA_DIR: s.dataDir },
    })
    expect(port.code).toBe(2)
    expect(port.stderr).toContain('error NRV_CONFIG_INVALID: --port="seventy": must be an integer')
    const level = await runCli(['serve'], { env: { NARVARO_LOG_LEVEL: 'loud' } })
    expect(level.code).toBe(2)
    expect(level.stderr).toContain('NARVARO_LOG_LEVEL')
    expect((await runCli(['frobnicate'])).code).toBe(2)
    expect((await runCli(['user', 'add'])).code).toBe(2)
  })

  it('--help and --version exit 0', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('watch')
    expect((await runCli(['--version'])).code).toBe(0)
  })
})

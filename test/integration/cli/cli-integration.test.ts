// Integration: `narvaro integration ...` over the real server — an admin creates (the token once),
// lists, rotates and revokes; `send` posts events with the token from an environment variable or a
// file, never from the command line; members cannot manage integrations.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { domain, envOf, runCli, savedToken, useTestServer } from './cli-harness.js'

describe('narvaro integration', () => {
  const s = useTestServer(['ola', 'pia'])
  const env = (name: string) => envOf(s, name)
  const viewOf = async (watcher: string, presentity: string) => {
    const response = await fetch(`${s.url}/v1/presence/${presentity}@${domain}`, {
      headers: { authorization: `Bearer ${savedToken(s, watcher)}` },
    })
    return (
      (await response.json()) as { view: { availability: string; activities?: { kind: string }[] } }
    ).view
  }

  it('creates an integration, sends a call with the token from the environment, rotates and revokes', async () => {
    const created = await runCli(
      ['integration', 'create', 'pbx', '--kinds', 'phone,conference', '--json'],
      {
        env: env('admin'),
      },
    )
    expect(created.code).toBe(0)
    const issued = JSON.parse(created.stdout) as { token: string; integration: { id: string } }
    expect(issued.token).toMatch(/^nri_/)
    const { id } = issued.integration
    const listed = await runCli(['integration', 'list'], { env: env('admin') })
    expect(listed.stdout).toContain(id)
    expect(listed.stdout).not.toContain('nri_')

    const sendEnv = { ...env('admin'), NARVARO_INTEGRATION_TOKEN: issued.token }
    const call = [
      'integration',
      'send',
      '--token-env',
      'NARVARO_INTEGRATION_TOKEN',
      '--person',
      `pia@${domain}`,
      '--type',
      'call',
    ]
    const started = await runCli([...call, '--state', 'started', '--key', 'k1', '--ttl', '120'], {
      env: sendEnv,
    })
    expect(started.code).toBe(0)
    expect(started.stdout).toMatch(/applied, refresh before/)
    expect(await viewOf('ola', 'pia')).toMatchObject({
      availability: 'busy',
      activities: [{ kind: 'in-a-call' }],
    })
    const presenting = await runCli(
      [...call.slice(0, -2), '--type', 'presenting', '--state', 'started'],
      { env: sendEnv },
    )
    expect(presenting.code).toBe(1)
    expect(presenting.stdout).toContain('rejected: NRV_FORBIDDEN')

    const rotated = await runCli(['integration', 'rotate', id, '--json'], { env: env('admin') })
    const newToken = (JSON.parse(rotated.stdout) as { token: string }).token
    expect(newToken).not.toBe(issued.token)
    const old = await runCli([...call, '--state', 'ended', '--key', 'k1'], { env: sendEnv })
    expect(old.code).toBe(1)
    expect(old.stderr).toContain('NRV_UNAUTHENTICATED')
    const file = join(s.dataDir, 'integration-token')
    writeFileSync(file, `${newToken}\n`)
    const fromFile = [
      'integration',
      'send',
      '--token-file',
      file,
      '--person',
      `pia@${domain}`,
      '--type',
      'call',
    ]
    const ended = await runCli([...fromFile, '--state', 'ended', '--key', 'k1'], {
      env: env('admin'),
    })
    expect(ended.stdout).toContain('applied')
    expect((await viewOf('ola', 'pia')).availability).toBe('offline')

    const revoked = await runCli(['integration', 'revoke', id], { env: env('admin') })
    expect(revoked.stdout).toContain(`revoked integration ${id}`)
    expect((await runCli(['integration', 'list'], { env: env('admin') })).stdout).toMatch(/revoked/)
  })

  it('refuses a token on the command line, bad kinds and members', async () => {
    const noToken = await runCli(
      ['integration', 'send', '--person', `pia@${domain}`, '--type', 'call', '--state', 'started'],
      { env: env('admin') },
    )
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('--token-env')
    const badKind = await runCli(['integration', 'create', 'x', '--kinds', 'phone,fax'], {
      env: env('admin'),
    })
    expect(badKind.code).toBe(2)
    const member = await runCli(['integration', 'create', 'x', '--kinds', 'phone'], {
      env: env('ola'),
    })
    expect(member.code).toBe(1)
    expect(member.stderr).toContain('NRV_FORBIDDEN')
  })
})

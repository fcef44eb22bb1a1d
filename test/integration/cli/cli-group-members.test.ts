// Integration: `narvaro group create --members` and `group members` read members as contact lists do:
// a bare local part is an address of my organization; against the real server.
import { describe, expect, it } from 'vitest'
import { adminPassword, domain, envOf, loginAs, runCli, useTestServer } from './cli-harness.js'

const s = useTestServer(['alice', 'bob'])
const at = (local: string) => `${local}@${domain}`

describe('narvaro group with local parts', () => {
  it('create --members alice,bob@acme.example makes a group of both', async () => {
    await loginAs(s, 'admin', adminPassword)
    const env = envOf(s, 'admin')
    const created = await runCli(
      ['group', 'create', 'desk', '--members', `alice,${at('bob')}`, '--json'],
      { env },
    )
    expect(created.code).toBe(0)
    const group = JSON.parse(created.stdout) as { id: string; members: string[] }
    expect(group.members).toEqual([at('alice'), at('bob')])
    const replaced = await runCli(['group', 'members', group.id, 'bob', '--json'], { env })
    expect(replaced.code).toBe(0)
    expect((JSON.parse(replaced.stdout) as { members: string[] }).members).toEqual([at('bob')])
  })

  it('a local part nobody has is refused, naming it', async () => {
    const result = await runCli(['group', 'create', 'ghosts', '--members', 'nobody'], {
      env: envOf(s, 'admin'),
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('nobody')
  })
})

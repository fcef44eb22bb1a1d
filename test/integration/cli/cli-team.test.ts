// Integration: the team-availability commands of the CLI over the real server —
// `narvaro notify-when-available` waits once for a colleague to become available.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from './cli-harness.js'
import { adminPassword, domain, envOf, loginAs, removeDir, runCli, startCli, startTestServer } from './cli-harness.js'

const addr = (name: string) => `${name}@${domain}`

const addUsers = async (s: TestServer, names: readonly string[]): Promise<void> => {
  await loginAs(s, 'admin', adminPassword)
  for (const name of names) {
    const password = `${name}-password-long`
    const added = await runCli(['user', 'add', name, '--password-stdin'], { env: envOf(s, 'admin'), stdin: password })
    if (added.code !== 0) throw new Error(added.stderr)
    await loginAs(s, name, password)
  }
}

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
    const wait = startCli(['notify-when-available', addr('olof'), '--for', '1h', '--wait'], { env: env('nora') })
    await wait.stderr.waitFor(new RegExp(`waiting until ${addr('olof')} is available`))
    const connect = startCli(['connect'], { env: env('olof') })
    await wait.stdout.waitFor(new RegExp(`^\\d{2}:\\d{2}:\\d{2} ${addr('olof')} is available$`, 'm'))
    expect(await wait.exit).toBe(0)
    connect.signals.emit('SIGINT')
    expect(await connect.exit).toBe(0)
  })

  it('creates, lists and cancels a watch; bad input is a usage or API error', async () => {
    // Pia has never been online: the watch stays open.
    const created = await runCli(['notify-when-available', addr('pia'), '--for', '30m', '--json'], { env: env('nora') })
    expect(created.code).toBe(0)
    const watch = JSON.parse(created.stdout) as { id: string; address: string }
    expect(watch.address).toBe(addr('pia'))
    const listed = await runCli(['notify-when-available', '--list'], { env: env('nora') })
    expect(listed.stdout).toContain(watch.id)
    expect((await runCli(['notify-when-available', '--cancel', watch.id], { env: env('nora') })).code).toBe(0)
    expect((await runCli(['notify-when-available', '--cancel', watch.id], { env: env('nora') })).code).toBe(1)
    expect((await runCli(['notify-when-available', addr('olof'), '--for', 'soon'], { env: env('nora') })).code).toBe(2)
    expect((await runCli(['notify-when-available'], { env: env('nora') })).code).toBe(2)
  })
})

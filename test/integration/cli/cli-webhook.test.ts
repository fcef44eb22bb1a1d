// Integration: `narvaro webhook ...` over the real server — create (the secret once), list, show,
// disable with the reason, enable, rotate, the delivery log and delete; bad input is a usage error.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from './cli-harness.js'
import { addUsers, domain, envOf, removeDir, runCli, startTestServer } from './cli-harness.js'

describe('narvaro webhook', () => {
  let s: TestServer
  const receiver = createServer((request, response) => {
    request.resume()
    request.on('end', () => response.writeHead(204).end())
  })
  let url = ''
  const env = (name: string) => envOf(s, name)
  beforeAll(async () => {
    s = await startTestServer()
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`
    await addUsers(s, ['rut', 'sam'])
  })
  afterAll(async () => {
    await s.stop()
    removeDir(s.dataDir)
    receiver.closeAllConnections()
    await new Promise((resolve) => receiver.close(resolve))
  })

  it('creates, shows, disables, enables, rotates, reads the log and deletes', async () => {
    const created = await runCli(
      [
        'webhook',
        'create',
        url,
        '--addresses',
        `sam@${domain}`,
        '--events',
        'presence,available',
        '--json',
      ],
      { env: env('rut') },
    )
    expect(created.code).toBe(0)
    const hook = JSON.parse(created.stdout) as { id: string; secret: string }
    expect(hook.secret).toMatch(/^whsec_/)
    expect((await runCli(['webhook', 'list'], { env: env('rut') })).stdout).toContain(hook.id)
    const disabled = await runCli(['webhook', 'disable', hook.id], { env: env('rut') })
    expect(disabled.stdout).toContain('disabled: disabled by its owner')
    expect((await runCli(['webhook', 'enable', hook.id], { env: env('rut') })).stdout).toContain(
      'state:     enabled',
    )
    const rotated = await runCli(['webhook', 'rotate', hook.id, '--json'], { env: env('rut') })
    expect((JSON.parse(rotated.stdout) as { secret: string }).secret).not.toBe(hook.secret)
    // The snapshot of sam is delivered at once; ask for the log until its attempt is in.
    const deliveries = () =>
      runCli(['webhook', 'deliveries', hook.id, '--json'], { env: env('rut') })
    let log = await deliveries()
    for (let tries = 0; tries < 200 && log.stdout.trim() === '[]'; tries++) log = await deliveries()
    expect((JSON.parse(log.stdout) as { statusCode: number }[])[0]).toMatchObject({
      statusCode: 204,
    })
    expect((await runCli(['webhook', 'show', hook.id], { env: env('sam') })).code).toBe(1)
    expect((await runCli(['webhook', 'delete', hook.id], { env: env('rut') })).code).toBe(0)
    expect((await runCli(['webhook', 'show', hook.id], { env: env('rut') })).code).toBe(1)
    expect(
      (await runCli(['webhook', 'create', url, '--events', 'nonsense'], { env: env('rut') })).code,
    ).toBe(2)
  })
})

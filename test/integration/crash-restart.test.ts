// Integration: after kill -9 of the server and a restart, no durable data is lost, nobody shows as
// online who is not connected, and connected clients reconnect and resume.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import {
  TestSocket,
  adminPassword,
  api,
  addUsers,
  domain,
  eventually,
} from '../support/server-harness.js'
import type { ChildServer } from '../support/child-server.js'
import { freePort, spawnServer } from '../support/child-server.js'

const dataDir = mkdtempSync(join(tmpdir(), 'narvaro-crash-'))
let server: ChildServer | undefined
afterAll(async () => {
  await server?.kill9()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('crash and restart', () => {
  it('keeps durable data, shows nobody online who is not connected, and lets clients resume', async () => {
    const port = String(await freePort())
    const env = {
      NARVARO_DATA_DIR: dataDir,
      NARVARO_PORT: port,
      NARVARO_DOMAIN: domain,
      NARVARO_ADMIN_PASSWORD: adminPassword,
    }
    server = await spawnServer(env)
    const { tokens } = await addUsers(server.url, ['amy', 'bo'])
    const amy = tokens['amy']!
    const bo = tokens['bo']!
    const until = Date.now() + 3_600_000
    await api(server.url, {
      method: 'PUT',
      path: '/v1/me/presence/manual',
      token: amy,
      body: { availability: 'busy', until },
    })
    await api(server.url, {
      method: 'PUT',
      path: '/v1/me/presence/note',
      token: amy,
      body: { text: 'in Lund today' },
    })
    await api(server.url, {
      method: 'PUT',
      path: '/v1/me/contact-methods',
      token: amy,
      body: [{ kind: 'voice', address: 'sip:amy@acme.example', rank: 1, scope: 'work' }],
    })
    const amySocket = await TestSocket.open(server.url, amy)
    await amySocket.request({
      type: 'publish',
      source: 'laptop',
      availability: 'available',
      device: { capabilities: ['im', 'voice'] },
    })
    const watcher = await TestSocket.open(server.url, bo)
    const epoch = watcher.messages[0]!['epoch']
    await watcher.request({ type: 'subscribe', addresses: [`amy@${domain}`] })
    const before = await watcher.next((m) => m.type === 'snapshot')
    expect(before['view']).toMatchObject({ availability: 'busy', note: { text: 'in Lund today' } })

    // Last seen is written behind the changes, gathered for a second: once it is on disk, the crash.
    const db = new Database(join(dataDir, 'narvaro.db'), { readonly: true })
    const lastSeenOfAmy = db.prepare('SELECT last_seen FROM users WHERE address = ?').pluck()
    await eventually(() => lastSeenOfAmy.get(`amy@${domain}`) !== null)
    db.close()
    await server.kill9()
    expect(await watcher.closed).toBe(1006)
    server = await spawnServer(env)

    // Tokens, users, contact methods, subscriptions, the manual choice and the note all survived.
    const again = await TestSocket.open(server.url, bo)
    expect(again.messages[0]!['epoch']).not.toBe(epoch)
    await again.request({
      type: 'subscribe',
      resume: { epoch: epoch as string, cursor: before['seq'] as number },
    })
    const resync = await again.next((m) => m.type === 'snapshot')
    expect(resync['resync']).toBe(true)
    expect(resync['view']).toMatchObject({
      address: `amy@${domain}`,
      availability: 'offline',
      note: { text: 'in Lund today' },
    })
    expect(resync['view']).toHaveProperty('lastSeen')
    const list = await api<{ presentityAddress: string }[]>(server.url, {
      path: '/v1/subscriptions',
      token: bo,
    })
    expect(list.body.map((s) => s.presentityAddress)).toEqual([`amy@${domain}`])

    // Amy's client reconnects and publishes again: her unexpired manual choice applies once she is online.
    const amyAgain = await TestSocket.open(server.url, amy)
    await amyAgain.request({
      type: 'publish',
      source: 'laptop',
      availability: 'available',
      device: { capabilities: ['im', 'voice'] },
      active: false,
    })
    const online = await again.next((m) => m.type === 'change')
    expect(online['view']).toMatchObject({
      availability: 'busy',
      contactMethods: [{ kind: 'voice', reachable: true }],
    })
    expect(online['seq'] as number).toBeGreaterThan(before['seq'] as number)
    await Promise.all([again.close(), amyAgain.close()])
  }, 30_000)
})

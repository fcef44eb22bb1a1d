// Integration: the SDK's live client across a server restart (a child process killed and started
// again on the same port and data): it reconnects, reports the resync of the new epoch, and
// publishes its device again so that watchers see its person online.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ChildServer } from '../support/child-server.js'
import { freePort, spawnServer } from '../support/child-server.js'
import { closeAllLive, recordLive } from '../support/sdk-live-client.js'
import { addUsers, adminPassword, domain, eventually } from '../support/server-harness.js'

const dataDir = mkdtempSync(join(tmpdir(), 'narvaro-sdk-restart-'))
let server: ChildServer | undefined
afterAll(async () => {
  closeAllLive()
  await server?.kill9()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the SDK live client across a server restart', () => {
  it('reconnects, reports the resync and restores its device publication', async () => {
    const port = String(await freePort())
    const env = {
      NARVARO_DATA_DIR: dataDir,
      NARVARO_PORT: port,
      NARVARO_DOMAIN: domain,
      NARVARO_ADMIN_PASSWORD: adminPassword,
    }
    server = await spawnServer(env)
    const { tokens } = await addUsers(server.url, ['amy', 'bo'])
    const amy = recordLive(server.url, tokens['amy']!)
    await amy.live.connect()
    await amy.live.publish({
      source: 'laptop',
      availability: 'busy',
      device: { capabilities: ['im'] },
    })
    const bo = recordLive(server.url, tokens['bo']!)
    await bo.live.connect()
    await bo.live.subscribe([`amy@${domain}`])
    await eventually(() => bo.snapshots.length === 1)
    expect(bo.snapshots[0]!.view.availability).toBe('busy')

    await server.kill9()
    await eventually(() => bo.live.state !== 'live' && amy.live.state !== 'live')
    server = await spawnServer(env)

    await eventually(() => bo.resyncs.length > 0 && bo.live.state === 'live', 10_000)
    expect(bo.welcomes).toHaveLength(2)
    expect(bo.welcomes[1]).not.toBe(bo.welcomes[0])
    expect(bo.states).toEqual(expect.arrayContaining(['offline', 'connecting', 'live']))
    // Amy's client published its device again: Bo sees her busy once more, without anyone acting.
    const latest = () => [...bo.snapshots, ...bo.changes].sort((a, b) => a.seq - b.seq).at(-1)
    await eventually(() => latest()?.view.availability === 'busy', 10_000)
  }, 40_000)
})

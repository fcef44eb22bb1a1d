// Integration: the data directory (0700) and the database files (0600, with SQLite's WAL and SHM
// files) of the real server are private whatever the umask; wider ones are warned about at start.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/server/config.js'
import { createLogger } from '../../src/server/logger.js'
import { startServer } from '../../src/server/narvaro-server.js'
import { adminPassword, api, domain, login } from '../support/server-harness.js'

const root = mkdtempSync(join(tmpdir(), 'narvaro-modes-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let umask = 0
beforeEach(() => {
  umask = process.umask(0o022)
})
afterEach(() => {
  process.umask(umask)
})

const modeOf = (path: string): number => statSync(path).mode & 0o777

/** The real server on `dataDir`, with its log lines kept. */
const serve = async (dataDir: string) => {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  const config = loadConfig(
    { NARVARO_ADMIN_PASSWORD: adminPassword, NARVARO_DOMAIN: domain },
    { port: '0', 'data-dir': dataDir, 'log-level': 'info' },
  )
  const server = await startServer({ config, logger: createLogger('info', sink) })
  return { server, lines }
}

describe('file modes', () => {
  it('a new data directory is 0700 and the database, WAL and SHM files 0600 under umask 022', async () => {
    const dataDir = join(root, 'fresh', 'data')
    const { server, lines } = await serve(dataDir)
    try {
      // A write, so that the WAL has content and both WAL files exist.
      await login(server.url, `admin@${domain}`, adminPassword)
      expect(modeOf(join(root, 'fresh'))).toBe(0o700)
      expect(modeOf(dataDir)).toBe(0o700)
      for (const file of ['narvaro.db', 'narvaro.db-wal', 'narvaro.db-shm']) {
        expect(modeOf(join(dataDir, file)), file).toBe(0o600)
      }
      expect(lines.filter((l) => l['level'] === 40)).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('a data directory or database readable by others is warned about at start', async () => {
    const dataDir = join(root, 'wide')
    mkdirSync(dataDir, { mode: 0o755 })
    writeFileSync(join(dataDir, 'narvaro.db'), '')
    chmodSync(join(dataDir, 'narvaro.db'), 0o644)
    const { server, lines } = await serve(dataDir)
    try {
      expect((await api(server.url, { path: '/healthz' })).status).toBe(200)
      const warned = lines.filter((l) => l['level'] === 40).map((l) => [l['path'], l['mode']])
      expect(warned).toEqual(
        expect.arrayContaining([
          [dataDir, '0755'],
          [join(dataDir, 'narvaro.db'), '0644'],
        ]),
      )
    } finally {
      await server.close()
    }
  })
})

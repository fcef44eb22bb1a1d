// Runs the PresenceStore contract on SQLite, in a file and in memory, plus what only a file can
// show: data that outlives the process and the settings kept in the file; contract tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { isNarvaroError } from '../../src/core/errors.js'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import { describePresenceStoreContract } from './presence-store-contract.js'

const directories: string[] = []
const freshDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 'narvaro-store-'))
  directories.push(directory)
  return directory
}

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true })
})

describePresenceStoreContract('SqlitePresenceStore in a file', () =>
  openSqliteStore({ file: join(freshDirectory(), 'narvaro.db') }),
)

describePresenceStoreContract('SqlitePresenceStore in memory', () =>
  openSqliteStore({ file: ':memory:' }),
)

describe('SqlitePresenceStore', () => {
  it('keeps its data across close and reopen of the same file', async () => {
    const file = join(freshDirectory(), 'nested', 'data', 'narvaro.db')
    const first = await openSqliteStore({ file })
    await first.migrate()
    const organization = await first.createOrganization({
      domain: 'acme.example',
      name: 'Acme',
      createdAt: 1,
    })
    await first.close()

    const second = await openSqliteStore({ file })
    await second.migrate()
    expect(await second.listOrganizations()).toStrictEqual([organization])
    await second.close()
  })

  it('leaves its file in WAL mode with foreign keys enforced', async () => {
    const file = join(freshDirectory(), 'narvaro.db')
    const store = await openSqliteStore({ file })
    await store.migrate()
    await store.close()
    const raw = new Database(file, { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(raw.pragma('foreign_key_list(users)')).toMatchObject([{ table: 'organizations' }])
    raw.close()
  })

  it('rejects with NRV_STORE_UNAVAILABLE while another process holds the write lock', async () => {
    const file = join(freshDirectory(), 'narvaro.db')
    const store = await openSqliteStore({ file, busyTimeoutMs: 0 })
    await store.migrate()
    const other = new Database(file)
    other.exec('begin immediate')
    const organization = { domain: 'acme.example', name: 'Acme', createdAt: 1 }
    const error = await store.createOrganization(organization).catch((e: unknown) => e)
    other.exec('rollback')
    other.close()
    expect(isNarvaroError(error) && error.code).toBe('NRV_STORE_UNAVAILABLE')
    expect(isNarvaroError(error) && error.cause).toMatchObject({ code: 'SQLITE_BUSY' })
    await store.close()
  })

  it('rejects with NRV_STORE_UNAVAILABLE when its file cannot be created', async () => {
    const blocker = join(freshDirectory(), 'not-a-directory')
    writeFileSync(blocker, '')
    const error = await openSqliteStore({ file: join(blocker, 'narvaro.db') }).catch(
      (e: unknown) => e,
    )
    expect(isNarvaroError(error) && error.code).toBe('NRV_STORE_UNAVAILABLE')
  })

  it('rejects an empty file name with NRV_CONFIG_INVALID', async () => {
    const error = await openSqliteStore({ file: ' ' }).catch((e: unknown) => e)
    expect(isNarvaroError(error) && error.code).toBe('NRV_CONFIG_INVALID')
  })
})

// Runs the PresenceStore and PolicyStore contracts on SQLite, in a file and in memory, plus what only
// a file can show: data that outlives the process, migrations and the file's settings; contract tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { isNarvaroError } from '../../src/core/errors.js'
import type { NarvaroDatabase } from '../../src/adapters/store/sql/database-schema.js'
import { KyselyPresenceStore } from '../../src/adapters/store/sql/kysely-presence-store.js'
import { initialSchema } from '../../src/adapters/store/sql/migrations/0001-initial-schema.js'
import {
  migrateToLatest,
  narvaroMigrations,
} from '../../src/adapters/store/sql/migrations/narvaro-migrations.js'
import { classifySqliteError } from '../../src/adapters/store/sqlite/sqlite-errors.js'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import { describeDirectoryStoreContract } from './directory-store-contract.js'
import { describePolicyStoreContract } from './policy-store-contract.js'
import { fullSettings } from './policy-store-fixtures.js'
import type { NewUser, User } from '../../src/ports/store.js'
import { describePresenceStoreContract } from './presence-store-contract.js'
import { contactMethods, newUser, notePublication, t0 } from './presence-store-fixtures.js'

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

describePolicyStoreContract('SqlitePresenceStore in a file', () =>
  openSqliteStore({ file: join(freshDirectory(), 'narvaro.db') }),
)

describePolicyStoreContract('SqlitePresenceStore in memory', () =>
  openSqliteStore({ file: ':memory:' }),
)

describeDirectoryStoreContract('SqlitePresenceStore in a file', () =>
  openSqliteStore({ file: join(freshDirectory(), 'narvaro.db') }),
)

describeDirectoryStoreContract('SqlitePresenceStore in memory', () =>
  openSqliteStore({ file: ':memory:' }),
)

const tablesOf = (file: string): readonly string[] => {
  const raw = new Database(file, { readonly: true })
  const rows = raw.prepare("select name from sqlite_master where type = 'table'").all()
  raw.close()
  return rows.map((row) => (row as { name: string }).name)
}

/** A user row with only the columns of migration 0001, as an older release wrote it. */
const insertOldUser = async (db: Kysely<NarvaroDatabase>, input: NewUser): Promise<User> => {
  const id = `old-${input.address}`
  await sql`insert into users (id, organization_id, address, display_name, role, time_zone,
    working_hours, password_hash, created_at, last_seen) values (${id}, ${input.organizationId},
    ${input.address}, ${input.displayName}, ${input.role}, ${input.timeZone}, null,
    ${input.passwordHash}, ${input.createdAt}, null)`.execute(db)
  const { createdAt, mustChangePassword: _, scram: _scram, ...rest } = input
  return { id, ...rest, createdAt }
}

/** A database at migration 0001 only, as an older release left it, with some data in it. */
const seedAtFirstMigration = async (file: string) => {
  const database = new Database(file)
  database.pragma('foreign_keys = ON')
  const db = new Kysely<NarvaroDatabase>({ dialect: new SqliteDialect({ database }) })
  await migrateToLatest(db, { '0001-initial-schema': initialSchema })
  const old = new KyselyPresenceStore({ db, classifyError: classifySqliteError })
  const acme = await old.createOrganization({ domain: 'acme.example', name: 'A', createdAt: t0 })
  const alice = await insertOldUser(db, { ...newUser(acme, 'alice'), displayName: 'ÅSA Alice' })
  const bob = await insertOldUser(db, newUser(acme, 'bob'))
  await old.replaceContactMethods(alice.id, contactMethods)
  await old.putPublication(alice.id, notePublication)
  const input = { watcherId: bob.id, presentityId: alice.id, createdAt: t0 }
  const subscription = await old.putSubscription({ ...input, state: 'pending' })
  await old.close()
  return { acme, alice, bob, subscription }
}

describe('SqlitePresenceStore migrations', () => {
  it('migrates a database made at 0001 to the latest and keeps its data', async () => {
    const file = join(freshDirectory(), 'narvaro.db')
    const { acme, alice, bob, subscription } = await seedAtFirstMigration(file)
    expect(tablesOf(file)).not.toContain('personal_settings')

    const store = await openSqliteStore({ file })
    await store.migrate()
    expect(await store.listOrganizations()).toStrictEqual([acme])
    expect(await store.listUsers(acme.id)).toStrictEqual([alice, bob])
    expect(await store.listContactMethods(alice.id)).toStrictEqual(contactMethods)
    expect(await store.listPublications(t0)).toStrictEqual([
      { userId: alice.id, publication: notePublication },
    ])
    expect(await store.listWatchersOf(alice.id)).toStrictEqual([subscription])
    await store.putPersonalSettings(alice.id, fullSettings)
    expect(await store.getPersonalSettings(alice.id)).toStrictEqual(fullSettings)
    const search = { organizationId: acme.id, text: 'åsa', limit: 10 }
    const found = await store.searchDirectory(search)
    expect(found.entries.map((entry) => entry.userId)).toStrictEqual([alice.id])
    await store.close()

    expect(tablesOf(file)).toEqual(
      expect.arrayContaining([
        'organization_policy',
        'groups',
        'group_members',
        'audit_events',
        'user_tags',
        'contact_lists',
        'contact_list_members',
      ]),
    )
  })

  it('records every migration, and migrating again runs none', async () => {
    const file = join(freshDirectory(), 'narvaro.db')
    await seedAtFirstMigration(file)
    for (let run = 0; run < 2; run += 1) {
      const store = await openSqliteStore({ file })
      await store.migrate()
      await store.close()
    }
    const raw = new Database(file, { readonly: true })
    const names = raw.prepare('select name from narvaro_migration order by name').pluck().all()
    raw.close()
    // Every migration of the code, once each, in order (a new migration needs no edit here).
    expect(names).toStrictEqual(Object.keys(narvaroMigrations))
    expect(names.slice(0, 4)).toStrictEqual([
      '0001-initial-schema',
      '0002-privacy',
      '0003-directory',
      '0004-webhooks',
    ])
  })
})

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
    expect(raw.pragma('foreign_key_list(group_members)')).toMatchObject([
      { table: 'users', on_delete: 'CASCADE' },
      { table: 'groups', on_delete: 'CASCADE' },
    ])
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

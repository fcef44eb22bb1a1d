// Runs every store contract on PostgreSQL (a real server on 127.0.0.1:5432, a fresh schema per
// store), as on SQLite: the same Kysely query layer and migrations on both; contract tests.
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { classifyPostgresError } from '../../src/adapters/store/postgres/postgres-errors.js'
import { openPostgresStore } from '../../src/adapters/store/postgres/postgres-store.js'
import { narvaroMigrations } from '../../src/adapters/store/sql/migrations/narvaro-migrations.js'
import { isNarvaroError } from '../../src/core/errors.js'
import { testDatabaseUrl, usePostgresSchemas } from '../support/postgres-schemas.js'
import { describeDirectoryStoreContract } from './directory-store-contract.js'
import { describeIntegrationStoreContract } from './integration-store-contract.js'
import { describePolicyStoreContract } from './policy-store-contract.js'
import { describePresenceStoreContract } from './presence-store-contract.js'
import { describeScheduleStoreContract } from './schedule-store-contract.js'
import { describeWebhookStoreContract } from './webhook-store-contract.js'

const { freshUrl, openStore, query } = usePostgresSchemas()
const organization = { domain: 'acme.example', name: 'Acme', createdAt: 1 }

describePresenceStoreContract('PostgresPresenceStore', openStore)
describePolicyStoreContract('PostgresPresenceStore', openStore)
describeDirectoryStoreContract('PostgresPresenceStore', openStore)
describeIntegrationStoreContract('PostgresPresenceStore', openStore)
describeScheduleStoreContract('PostgresPresenceStore', openStore)
describeWebhookStoreContract('PostgresPresenceStore', openStore)

describe('PostgresPresenceStore on its schema', () => {
  it('records every migration once in its own schema, and migrating again runs none', async () => {
    const url = await freshUrl()
    for (let run = 0; run < 2; run++) {
      const store = await openPostgresStore({ url })
      await store.migrate()
      await store.close()
    }
    const schema = new URL(url).searchParams.get('options')!.split('=')[1]!
    const { rows } = await query<{ name: string }>(
      `select name from ${schema}.narvaro_migration order by name`,
    )
    expect(rows.map((row) => row.name)).toStrictEqual(Object.keys(narvaroMigrations))
  })

  it('keeps each schema apart, and its data across close and reopen', async () => {
    const url = await freshUrl()
    const [first, other] = [await openPostgresStore({ url }), await openStore()]
    await Promise.all([first.migrate(), other.migrate()])
    const acme = await first.createOrganization(organization)
    expect(await other.listOrganizations()).toStrictEqual([])
    await first.close()
    const again = await openPostgresStore({ url })
    expect(await again.listOrganizations()).toStrictEqual([acme])
    await Promise.all([again.close(), other.close()])
  })

  it('rejects a duplicate with NRV_CONFLICT, the unique violation as its cause', async () => {
    const store = await openStore()
    await store.migrate()
    await store.createOrganization(organization)
    const error = await store.createOrganization(organization).catch((e: unknown) => e)
    expect(isNarvaroError(error) && error.code).toBe('NRV_CONFLICT')
    expect(isNarvaroError(error) && error.cause).toMatchObject({ code: '23505' })
    await store.close()
  })

  it('takes a connection the server ends mid-query for the store being unavailable', async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl })
    client.on('error', () => undefined)
    await client.connect()
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid')
    const running = client.query('select pg_sleep(30)').catch((e: unknown) => e)
    await query('select pg_terminate_backend($1)', [rows[0]!.pid])
    expect(classifyPostgresError(await running)).toBe('unavailable')
    await client.end().catch(() => undefined)
  })
})

describe('PostgresPresenceStore without its database', () => {
  it('answers NRV_STORE_UNAVAILABLE when the database does not exist', async () => {
    const url = new URL(testDatabaseUrl)
    url.pathname = '/narvaro_no_such_database'
    const store = await openPostgresStore({ url: url.href })
    await expect(store.migrate()).rejects.toMatchObject({ code: 'NRV_STORE_UNAVAILABLE' })
    await store.close().catch(() => undefined)
  })

  it('answers NRV_STORE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const store = await openPostgresStore({
      url: 'postgres://postgres@127.0.0.1:1/test',
      connectTimeoutMs: 1000,
    })
    await expect(store.migrate()).rejects.toMatchObject({ code: 'NRV_STORE_UNAVAILABLE' })
    await store.close().catch(() => undefined)
  })
})

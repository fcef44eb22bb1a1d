// Runs every store contract on PostgreSQL (a real server on 127.0.0.1:5432, a fresh schema per
// store), as on SQLite: the same Kysely query layer and migrations on both; contract tests.
import { describe, expect, it } from 'vitest'
import { openPostgresStore } from '../../src/adapters/store/postgres/postgres-store.js'
import { usePostgresSchemas } from '../support/postgres-schemas.js'
import { describeDirectoryStoreContract } from './directory-store-contract.js'
import { describeIntegrationStoreContract } from './integration-store-contract.js'
import { describePolicyStoreContract } from './policy-store-contract.js'
import { describePresenceStoreContract } from './presence-store-contract.js'
import { describeScheduleStoreContract } from './schedule-store-contract.js'
import { describeWebhookStoreContract } from './webhook-store-contract.js'

const { openStore } = usePostgresSchemas()

describePresenceStoreContract('PostgresPresenceStore', openStore)
describePolicyStoreContract('PostgresPresenceStore', openStore)
describeDirectoryStoreContract('PostgresPresenceStore', openStore)
describeIntegrationStoreContract('PostgresPresenceStore', openStore)
describeScheduleStoreContract('PostgresPresenceStore', openStore)
describeWebhookStoreContract('PostgresPresenceStore', openStore)

describe('PostgresPresenceStore without a server', () => {
  it('answers NRV_STORE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const store = await openPostgresStore({
      url: 'postgres://postgres@127.0.0.1:1/test',
      connectTimeoutMs: 1000,
    })
    await expect(store.migrate()).rejects.toMatchObject({ code: 'NRV_STORE_UNAVAILABLE' })
    await store.close().catch(() => undefined)
  })
})

// A fresh PostgreSQL schema per store a test opens (in the `test` database on 127.0.0.1:5432, or
// NARVARO_TEST_DATABASE_URL), all dropped when the file's tests end; test support.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'
import { openPostgresStore } from '../../src/adapters/store/postgres/postgres-store.js'

export const testDatabaseUrl =
  process.env['NARVARO_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A URL whose connections use their own new schema (search_path), and a way to drop them all. */
export const usePostgresSchemas = () => {
  const schemas: string[] = []
  const admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 2 })
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`)
    await admin.end()
  })
  const freshUrl = async (): Promise<string> => {
    const schema = `narvaro_test_${randomBytes(6).toString('hex')}`
    await admin.query(`create schema ${schema}`)
    schemas.push(schema)
    const url = new URL(testDatabaseUrl)
    url.searchParams.set('options', `-c search_path=${schema}`)
    return url.toString()
  }
  return {
    freshUrl,
    /** A query on the test database, outside any store (to look at what a store wrote). */
    query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      admin.query<R>(text, values),
    /** A PostgreSQL store on a fresh schema. */
    openStore: async () => openPostgresStore({ url: await freshUrl() }),
  }
}

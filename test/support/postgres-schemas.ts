// A fresh PostgreSQL schema per URL a test asks for (in the `test` database on 127.0.0.1:5432, or
// NARVARO_TEST_DATABASE_URL), and a fresh database per store it opens (a copy of one migrated once
// per file: copying takes ~20 ms where migrating takes ~300), all dropped when the file's tests end;
// test support.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'
import { openPostgresStore } from '../../src/adapters/store/postgres/postgres-store.js'

export const testDatabaseUrl =
  process.env['NARVARO_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A URL whose connections use their own new schema (search_path), and a way to drop them all. */
export const usePostgresSchemas = () => {
  const schemas: string[] = []
  const databases: string[] = []
  let template: Promise<string> | undefined
  const admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 2 })
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`)
    // Stores a test left open are disconnected: their pools replace the lost connections.
    for (const database of databases.reverse())
      await admin.query(`drop database if exists ${database} with (force)`)
    await admin.end()
    // A contract file leaves a hundred databases: dropping them outlasts the default on a busy machine.
  }, 180_000)
  const databaseUrl = (database: string) => {
    const url = new URL(testDatabaseUrl)
    url.pathname = `/${database}`
    return url.toString()
  }
  /** The file's migrated template database, made once (dropped last). */
  const migratedTemplate = async (): Promise<string> => {
    const name = `narvaro_template_${randomBytes(6).toString('hex')}`
    await admin.query(`create database ${name}`)
    databases.push(name)
    const store = await openPostgresStore({ url: databaseUrl(name) })
    await store.migrate()
    await store.close()
    return name
  }
  /** A new database holding a copy of the migrated template. */
  const migratedUrl = async (): Promise<string> => {
    const source = await (template ??= migratedTemplate())
    const name = `narvaro_test_${randomBytes(6).toString('hex')}`
    await admin.query(`create database ${name} template ${source} strategy wal_log`)
    databases.push(name)
    return databaseUrl(name)
  }
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
    /** A PostgreSQL store on a fresh, already migrated database (migrating it again runs nothing). */
    openStore: async () => openPostgresStore({ url: await migratedUrl() }),
  }
}

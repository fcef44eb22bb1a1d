// Runs the ScheduleStore contract on SQLite, in a file and in memory; contract tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { openSqliteStore } from '../../src/adapters/store/sqlite/sqlite-store.js'
import { describeScheduleStoreContract } from './schedule-store-contract.js'

const directory = mkdtempSync(join(tmpdir(), 'narvaro-schedule-store-'))
afterAll(() => rmSync(directory, { recursive: true, force: true }))

let files = 0
describeScheduleStoreContract('SqlitePresenceStore in a file', () =>
  openSqliteStore({ file: join(directory, `narvaro-${++files}.db`) }),
)
describeScheduleStoreContract('SqlitePresenceStore in memory', () =>
  openSqliteStore({ file: ':memory:' }),
)

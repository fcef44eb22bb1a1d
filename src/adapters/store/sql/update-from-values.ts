// Sets one number column of many rows in one statement per batch: the new values as a table joined
// by key (a statement per row cost more to build than to run), all batches in one transaction;
// SQLite and PostgreSQL alike; adapter layer.
import { sql } from 'kysely'
import type { NarvaroDb } from './database-schema.js'
import { inBatches } from './in-batches.js'

/** Rows of one statement: 2 bound parameters each, well under every dialect's cap. */
const rowsPerStatement = 500

export const updateFromValues = async (
  db: NarvaroDb,
  target: {
    readonly table: 'users' | 'api_tokens'
    /** The key column the values' keys are matched against. */
    readonly key: string
    /** The bigint column set. */
    readonly column: string
    /** Only ever raised: a row whose value is already at least the new one keeps it. */
    readonly onlyForward?: boolean
  },
  values: ReadonlyMap<string, number>,
): Promise<void> => {
  if (values.size === 0) return
  const { table, key, column } = target
  const current = sql.ref(`${table}.${column}`)
  const forward = target.onlyForward
    ? sql` and (${current} is null or ${current} < v.value)`
    : sql``
  await db.transaction().execute(async (trx) => {
    for (const batch of inBatches([...values], rowsPerStatement)) {
      const rows = batch.map(([k, value]) => sql`(${k}, cast(${value} as bigint))`)
      await sql`with v(k, value) as (values ${sql.join(rows)})
        update ${sql.table(table)} set ${sql.ref(column)} = v.value from v
        where ${sql.ref(`${table}.${key}`)} = v.k${forward}`.execute(trx)
    }
  })
}

// Column types shared by every table file of the store schema; adapter layer.
import type { ColumnType } from 'kysely'

/** A bigint column: written as a number; read as a number (SQLite) or a string (PostgreSQL). */
export type BigIntColumn = ColumnType<number | string, number, number>
export type NullableBigIntColumn = ColumnType<number | string | null, number | null, number | null>

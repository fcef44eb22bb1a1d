// Reads a directory import (CSV or JSON) into numbered rows of raw values, with the problems of the
// file itself (an unknown column, a broken quote); app layer. Each row is checked in import-row.ts.
import { parse } from 'csv-parse/sync'
import { NarvaroError } from '../../core/errors.js'

/** The fields of one import row, by their canonical names. */
export const importFields = [
  'address',
  'displayName',
  'title',
  'tags',
  'teams',
  'timeZone',
  'workingHours',
] as const
export type ImportField = (typeof importFields)[number]

/** Rows of one import at most: a 10,000-person organization fits with room to spare. */
export const maxImportRows = 20_000

export const importProblemCodes = [
  'invalid-csv',
  'invalid-row',
  'unknown-field',
  'wrong-column-count',
  'required',
  'invalid-address',
  'other-organization',
  'duplicate-address',
  'invalid-type',
  'too-long',
  'too-many',
  'invalid-tag',
  'invalid-team',
  'unknown-time-zone',
  'invalid-working-hours',
] as const
export type ImportProblemCode = (typeof importProblemCodes)[number]

/** One thing wrong with one row (row 0: the file or its header). */
export interface ImportProblem {
  /** Data rows count from 1; the CSV header is not a data row. */
  readonly row: number
  /** CSV: the line of the file where the row ends. */
  readonly line?: number
  readonly field?: string
  readonly code: ImportProblemCode
  readonly message: string
}

export interface RawRow {
  readonly row: number
  readonly line?: number
  readonly values: Readonly<Partial<Record<ImportField, unknown>>>
}

export interface ParsedImport {
  readonly rows: readonly RawRow[]
  /** Problems of rows that could not even be read, and of the file itself. */
  readonly problems: readonly ImportProblem[]
  /** A problem of the file (not of one row): nothing may be written. */
  readonly fatal: boolean
}

/** `display_name`, `Display Name` and `displayName` all name the field `displayName`. */
const fieldByKey = new Map(importFields.map((field) => [field.toLowerCase(), field]))
const fieldOf = (name: string): ImportField | undefined =>
  fieldByKey.get(name.replace(/[\s_-]/g, '').toLowerCase())

const tooManyRows = (rows: number): NarvaroError =>
  new NarvaroError('NRV_VALIDATION', `an import has at most ${maxImportRows} rows, not ${rows}`, {
    details: { maxRows: maxImportRows },
  })

const headerProblems = (header: readonly string[]): ImportProblem[] => {
  const problems: ImportProblem[] = header.flatMap((name) =>
    fieldOf(name) === undefined
      ? [
          {
            row: 0,
            line: 1,
            field: name,
            code: 'unknown-field' as const,
            message: `unknown column "${name}"; the columns are ${importFields.join(', ')}`,
          },
        ]
      : [],
  )
  if (!header.some((name) => fieldOf(name) === 'address')) {
    problems.push({
      row: 0,
      line: 1,
      field: 'address',
      code: 'required',
      message: 'the header has no address column',
    })
  }
  return problems
}

interface CsvRecord {
  readonly record: string[]
  readonly info: { readonly lines: number }
}

const readCsv = (text: string): CsvRecord[] | ImportProblem => {
  try {
    const options = {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    } as const
    return parse(text, options) as unknown as CsvRecord[]
  } catch (error) {
    const { message, lines } = error as { message?: string; lines?: number }
    return {
      row: 0,
      ...(lines ? { line: lines } : {}),
      code: 'invalid-csv',
      message: message ?? 'not CSV',
    }
  }
}

/** CSV with a header row naming the fields; empty cells are absent values. */
export const parseCsvImport = (text: string): ParsedImport => {
  const records = readCsv(text)
  if (!Array.isArray(records)) return { rows: [], problems: [records], fatal: true }
  const [head, ...body] = records
  if (!head) return { rows: [], problems: [], fatal: false }
  if (body.length > maxImportRows) throw tooManyRows(body.length)
  const problems = headerProblems(head.record)
  if (problems.length > 0) return { rows: [], problems, fatal: true }
  const fields = head.record.map((name) => fieldOf(name)!)
  const rows: RawRow[] = []
  body.forEach(({ record, info }, index) => {
    const row = index + 1
    if (record.length !== fields.length) {
      const message = `${record.length} cells where the header has ${fields.length}`
      problems.push({ row, line: info.lines, code: 'wrong-column-count', message })
      return
    }
    const values = Object.fromEntries(
      fields.flatMap((field, i) => (record[i] ? [[field, record[i]]] : [])),
    )
    rows.push({ row, line: info.lines, values })
  })
  return { rows, problems, fatal: false }
}

const jsonRow = (value: unknown, row: number): RawRow | ImportProblem[] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ row, code: 'invalid-row', message: 'a row is an object of fields' }]
  }
  const unknown = Object.keys(value).filter(
    (key) => !(importFields as readonly string[]).includes(key),
  )
  if (unknown.length > 0) {
    return unknown.map((field) => ({
      row,
      field,
      code: 'unknown-field' as const,
      message: `unknown field "${field}"`,
    }))
  }
  const values = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== ''))
  return { row, values }
}

/** JSON: an array of objects with the field names. */
export const parseJsonImport = (document: readonly unknown[]): ParsedImport => {
  if (document.length > maxImportRows) throw tooManyRows(document.length)
  const rows: RawRow[] = []
  const problems: ImportProblem[] = []
  document.forEach((value, index) => {
    const parsed = jsonRow(value, index + 1)
    if (Array.isArray(parsed)) problems.push(...parsed)
    else rows.push(parsed)
  })
  return { rows, problems, fatal: false }
}

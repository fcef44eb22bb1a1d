// `narvaro import FILE [--dry-run]`: loads people and teams from CSV or JSON (admin) and prints what
// was (or would be) done and every bad row; exits 1 when any row has a problem; CLI layer.
import type { Command } from 'commander'
import type { BodyOf } from '@narvaro/sdk'
import type { ImportReportBody } from '../../transports/rest/directory-schemas.js'
import { usageError } from '../shared/cli-error.js'
import { readText } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, printTable, writeLine } from '../shared/output.js'

interface ImportOptions {
  readonly dryRun?: boolean
  readonly format?: string
}

/** Large imports take a few seconds on the server; the default 30 s is too tight for slow links. */
const importTimeoutMs = 300_000

const formatOf = (file: string, format: string | undefined): 'csv' | 'json' => {
  if (format !== undefined && format !== 'csv' && format !== 'json') {
    throw usageError('--format: csv or json')
  }
  return (format as 'csv' | 'json' | undefined) ?? (/\.csv$/i.test(file) ? 'csv' : 'json')
}

const jsonRows = (file: string, text: string): unknown[] => {
  let rows: unknown
  try {
    rows = JSON.parse(text) as unknown
  } catch (error) {
    throw usageError(`${file}: not JSON (${(error as Error).message}); CSV files end in .csv`)
  }
  if (!Array.isArray(rows)) throw usageError(`${file}: a JSON import is an array of rows`)
  return rows
}

const printReport = (runtime: CliRuntime, report: ImportReportBody): void => {
  const { stdout } = runtime.io
  const would = report.written ? '' : 'would be '
  const teams = report.teamsCreated.length > 0 ? ` (${report.teamsCreated.join(', ')})` : ''
  writeLine(stdout, `${report.dryRun ? 'dry run: ' : ''}${report.rows} rows, ${report.valid} good`)
  writeLine(stdout, `people ${would}created: ${report.created}, ${would}updated: ${report.updated}`)
  writeLine(stdout, `teams ${would}created: ${report.teamsCreated.length}${teams}`)
  if (!report.dryRun && !report.written) writeLine(stdout, 'nothing was written')
  if (report.problems.length === 0) return
  writeLine(stdout)
  const rows = report.problems.map((p) => [
    p.row === 0 ? 'file' : String(p.row),
    p.line === undefined ? '' : String(p.line),
    p.field ?? '',
    p.code,
    p.message,
  ])
  printTable(stdout, ['ROW', 'LINE', 'FIELD', 'PROBLEM', 'MESSAGE'], rows)
}

const runImport = async (
  runtime: CliRuntime,
  command: Command,
  input: ImportOptions & { file: string },
) => {
  const format = formatOf(input.file, input.format)
  const text = await readText(input.file, runtime.io.stdin)
  const context = runtime.context(command)
  const client = context.client({ timeoutMs: importTimeoutMs })
  const dryRun = input.dryRun === true
  const report = (
    format === 'csv'
      ? await client.importCsv(text, { dryRun })
      : await client.importDirectory(
          jsonRows(input.file, text) as BodyOf<'/v1/directory/import', 'post'>,
          { dryRun },
        )
  ) as ImportReportBody
  if (report.problems.length > 0) runtime.exitCode = 1
  if (context.json) return printJson(runtime.io.stdout, report)
  printReport(runtime, report)
}

export const registerImportCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('import')
    .description(
      'load people and teams from CSV or JSON (admin); docs/directory.md has the columns',
    )
    .argument('<file>', 'a .csv file (else JSON), or - for standard input')
    .option('--dry-run', 'check every row and write nothing')
    .option('--format <format>', 'csv or json (default: by the file name)')
    .action((file: string, options: ImportOptions, command: Command) =>
      runImport(runtime, command, { ...options, file }),
    )
}

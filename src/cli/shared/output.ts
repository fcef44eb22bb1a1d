// Human-readable output (aligned tables, local times) and `--json` for scripts; CLI layer.
import type { TextSink } from './cli-io.js'

export const writeLine = (sink: TextSink, text = ''): void => {
  sink.write(text + '\n')
}

/** Pretty JSON on stdout, for `--json`. */
export const printJson = (sink: TextSink, value: unknown): void => {
  writeLine(sink, JSON.stringify(value, null, 2))
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export const formatTable = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string => {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

export const printTable = (
  sink: TextSink,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): void => {
  writeLine(sink, formatTable(headers, rows))
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** `HH:MM:SS`, local time. */
export const formatTimeOfDay = (epochMs: number): string => {
  const d = new Date(epochMs)
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
}

/** `HH:MM` when on the same local day as `now`, else `YYYY-MM-DD HH:MM`. */
export const formatWhen = (epochMs: number, now: number = Date.now()): string => {
  const d = new Date(epochMs)
  const today = new Date(now)
  const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`
  const sameDay =
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate()
  if (sameDay) return clock
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clock}`
}

/** Shortens free text for a table cell. */
export const truncate = (text: string, max = 40): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`

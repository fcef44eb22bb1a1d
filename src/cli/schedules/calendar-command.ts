// `narvaro calendar import|subscribe|list|remove|refresh`: my calendars (an uploaded iCalendar file,
// or an ICS URL the server fetches on a schedule) that make me busy in meetings and away when out
// of office; CLI layer.
import { basename, extname } from 'node:path'
import type { Command } from 'commander'
import { dataOf, type CliContext } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { readText } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { withContext } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'

interface Calendar {
  readonly id: string
  readonly name: string
  readonly url?: string
  readonly refreshMinutes?: number
  readonly refreshedAt?: number
  readonly lastError?: string
  readonly warnings?: readonly string[]
}

interface CalendarImport {
  readonly calendar: Calendar
  readonly occurrences: number
  readonly warnings: readonly string[]
}

/** A 5 MB file takes a while on a slow link, and the server expands it before it answers. */
const uploadTimeoutMs = 120_000

const nameOf = (file: string): string =>
  file === '-' ? 'calendar' : basename(file, extname(file)).slice(0, 100) || 'calendar'

const everyOf = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined
  const minutes = Number(raw)
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
    throw usageError('--every takes whole minutes from 5 to 1440')
  }
  return minutes
}

const sourceOf = (c: Calendar): string =>
  c.url === undefined ? 'uploaded' : `${c.url} (every ${c.refreshMinutes ?? 15} min)`

/** What an import or refresh did; warnings go to stderr, as they are about the file. */
const report = (runtime: CliRuntime, ctx: CliContext, result: CalendarImport): void => {
  if (ctx.json) return printJson(runtime.io.stdout, result)
  const { calendar, occurrences } = result
  const plural = occurrences === 1 ? 'occurrence' : 'occurrences'
  writeLine(
    runtime.io.stdout,
    `calendar ${calendar.name} (${calendar.id}): ${occurrences} busy or out-of-office ${plural} planned`,
  )
  for (const warning of result.warnings) writeLine(runtime.io.stderr, `warning: ${warning}`)
}

const list = async (runtime: CliRuntime, ctx: CliContext): Promise<void> => {
  const calendars = (await dataOf(ctx.client().api.GET('/v1/me/calendars'))) as Calendar[]
  if (ctx.json) return printJson(runtime.io.stdout, calendars)
  if (calendars.length === 0) return writeLine(runtime.io.stderr, 'no calendars')
  const now = Date.now()
  const rows = calendars.map((c) => [
    c.id,
    c.name,
    sourceOf(c),
    c.refreshedAt === undefined ? 'never' : formatWhen(c.refreshedAt, now),
    String(c.warnings?.length ?? 0),
    c.lastError ?? '',
  ])
  printTable(runtime.io.stdout, ['ID', 'NAME', 'SOURCE', 'READ', 'WARNINGS', 'LAST ERROR'], rows)
  for (const c of calendars) {
    for (const warning of c.warnings ?? [])
      writeLine(runtime.io.stderr, `warning (${c.name}): ${warning}`)
  }
}

const registerImport = (calendar: Command, runtime: CliRuntime): void => {
  calendar
    .command('import')
    .description('upload an iCalendar file (a file of the same name replaces it)')
    .argument('<file>', 'an .ics file, or - for standard input')
    .option('--name <name>', 'my name for the calendar (default: the file name)')
    .action(
      withContext(runtime, async (ctx, file: string, options: { name?: string }) => {
        const ics = await readText(file, runtime.io.stdin)
        if (ics.trim() === '') throw usageError(`${file}: empty`)
        const body = { name: options.name ?? nameOf(file), ics }
        const client = ctx.client({ timeoutMs: uploadTimeoutMs })
        const answer = client.api.POST('/v1/me/calendars', { body })
        report(runtime, ctx, (await dataOf(answer)) as CalendarImport)
      }),
    )
  calendar
    .command('subscribe')
    .description('subscribe to an ICS URL; the server fetches it itself, now and on a schedule')
    .argument('<url>', 'an http: or https: URL the server can reach')
    .option('--name <name>', 'my name for the calendar (default: the host name)')
    .option('--every <minutes>', 'how often the server fetches it, 5 to 1440 minutes', '15')
    .action(
      withContext(runtime, async (ctx, url: string, options: { name?: string; every?: string }) => {
        let host = 'calendar'
        try {
          host = new URL(url).hostname || host
        } catch {
          throw usageError(`${url}: not a URL`)
        }
        const body = { name: options.name ?? host, url, refreshMinutes: everyOf(options.every) }
        const answer = ctx.client().api.POST('/v1/me/calendars', { body })
        report(runtime, ctx, (await dataOf(answer)) as CalendarImport)
      }),
    )
}

export const registerCalendarCommand = (program: Command, runtime: CliRuntime): void => {
  const calendar = program
    .command('calendar')
    .description('my calendars: meetings make me busy, out-of-office makes me away')
  registerImport(calendar, runtime)
  calendar
    .command('list')
    .description('my calendars, when each was last read, and why it last failed')
    .action(withContext(runtime, async (ctx, _options: unknown) => list(runtime, ctx)))
  calendar
    .command('refresh')
    .description('fetch a subscribed calendar now (or read an uploaded one again)')
    .argument('<id>')
    .action(
      withContext(runtime, async (ctx, id: string) => {
        const params = { path: { id } }
        const answer = ctx.client().api.POST('/v1/me/calendars/{id}/refresh', { params })
        report(runtime, ctx, (await dataOf(answer)) as CalendarImport)
      }),
    )
  calendar
    .command('remove')
    .description('remove a calendar; its meetings and out-of-office end at once')
    .argument('<id>')
    .action(
      withContext(runtime, async (ctx, id: string) => {
        await ctx.client().api.DELETE('/v1/me/calendars/{id}', { params: { path: { id } } })
        if (ctx.json) return printJson(runtime.io.stdout, { id, removed: true })
        writeLine(runtime.io.stdout, `removed calendar ${id}`)
      }),
    )
}

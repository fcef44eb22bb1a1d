// `narvaro schedule add|list|remove|working-hours|free-busy`: planned do-not-disturb, notes and work
// locations, my working hours, and someone's free/busy as policy lets me see it; CLI layer.
import type { Command } from 'commander'
import type { BodyOf } from '@narvaro/sdk'
import { dataOf } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { addressArgument } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { withContext } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import { parseTime } from '../shared/time-input.js'
import { parseWeeklySpan } from '../shared/weekly-input.js'

interface Span {
  readonly days: readonly string[]
  readonly start: string
  readonly end: string
}

interface Entry {
  readonly id: string
  readonly name: string
  readonly set: {
    readonly availability?: string
    readonly note?: string
    readonly workLocation?: { mode: string; site?: string }
  }
  readonly when: { once?: { startsAt: number; endsAt: number }; weekly?: readonly Span[] }
}

interface AddOptions {
  readonly name?: string
  readonly availability?: string
  readonly note?: string
  readonly office?: string | true
  readonly remote?: boolean
  readonly travelling?: boolean
  readonly weekly: string[]
  readonly from?: string
  readonly until?: string
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

const workLocationOf = (o: AddOptions) => {
  const chosen = [o.office !== undefined, o.remote === true, o.travelling === true].filter(Boolean)
  if (chosen.length > 1) throw usageError('give one of --office, --remote, --travelling')
  if (o.office !== undefined)
    return o.office === true ? { mode: 'office' } : { mode: 'office', site: o.office }
  if (o.remote) return { mode: 'remote' }
  if (o.travelling) return { mode: 'travelling' }
  return undefined
}

const whenOf = (o: AddOptions, now: number) => {
  if (o.weekly.length > 0) {
    if (o.from || o.until) throw usageError('give either --weekly or --from/--until')
    return { weekly: o.weekly.map((w) => parseWeeklySpan(w, '--weekly')) }
  }
  if (!o.until)
    throw usageError('say when: --weekly "mon-fri 18:00-22:00", or --until TIME (and --from)')
  const startsAt = o.from ? parseTime(o.from, now, '--from') : now
  return { once: { startsAt, endsAt: parseTime(o.until, now, '--until') } }
}

export const scheduleBody = (o: AddOptions, now: number) => {
  const workLocation = workLocationOf(o)
  const set = {
    ...(o.availability ? { availability: o.availability } : {}),
    ...(o.note ? { note: o.note } : {}),
    ...(workLocation ? { workLocation } : {}),
  }
  if (Object.keys(set).length === 0) {
    throw usageError(
      'nothing to set: give --dnd, --availability, --note, --office, --remote or --travelling',
    )
  }
  const name = o.name ?? Object.keys(set).join(' and ')
  return { name, set, when: whenOf(o, now) }
}

const setText = (set: Entry['set']): string =>
  [
    set.availability,
    set.note === undefined ? undefined : `note "${set.note}"`,
    set.workLocation === undefined
      ? undefined
      : `${set.workLocation.mode}${set.workLocation.site ? ` (${set.workLocation.site})` : ''}`,
  ]
    .filter((s) => s !== undefined)
    .join(', ')

const whenText = (when: Entry['when'], now: number): string =>
  when.once
    ? `${formatWhen(when.once.startsAt, now)} to ${formatWhen(when.once.endsAt, now)}`
    : (when.weekly ?? []).map((s) => `${s.days.join(',')} ${s.start}-${s.end}`).join('; ')

const registerAdd = (schedule: Command, runtime: CliRuntime) =>
  schedule
    .command('add')
    .description('plan a change: do-not-disturb, a note or a work location, once or every week')
    .option('--dnd', 'do not disturb while it applies')
    .option('--availability <availability>', 'do-not-disturb, busy, away or be-right-back')
    .option('--note <text>', 'a status note while it applies')
    .option('--office [site]', 'working in the office (at this site)')
    .option('--remote', 'working remotely')
    .option('--travelling', 'travelling')
    .option(
      '--weekly <spec>',
      'every week in my time zone: "mon-fri 18:00-22:00" (repeatable)',
      collect,
      [],
    )
    .option('--from <time>', 'once: when it starts (default now)')
    .option('--until <time>', 'once: when it ends')
    .option('--name <name>', 'a name to recognize it by')
    .action(
      withContext(runtime, async (ctx, options: AddOptions & { dnd?: boolean }) => {
        if (options.dnd && options.availability)
          throw usageError('give either --dnd or --availability')
        const input = options.dnd ? { ...options, availability: 'do-not-disturb' } : options
        const body = scheduleBody(input, Date.now()) as BodyOf<'/v1/me/schedule', 'post'>
        const entry = (await dataOf(ctx.client().api.POST('/v1/me/schedule', { body }))) as Entry
        if (ctx.json) return printJson(runtime.io.stdout, entry)
        writeLine(
          runtime.io.stdout,
          `scheduled ${entry.id}: ${setText(entry.set)}, ${whenText(entry.when, Date.now())}`,
        )
      }),
    )

const registerList = (schedule: Command, runtime: CliRuntime) =>
  schedule
    .command('list')
    .description('my schedule entries')
    .action(
      withContext(runtime, async (ctx, _options: unknown) => {
        const entries = (await dataOf(ctx.client().api.GET('/v1/me/schedule'))) as Entry[]
        if (ctx.json) return printJson(runtime.io.stdout, entries)
        if (entries.length === 0) return writeLine(runtime.io.stderr, 'nothing scheduled')
        const now = Date.now()
        printTable(
          runtime.io.stdout,
          ['ID', 'NAME', 'SETS', 'WHEN'],
          entries.map((e) => [e.id, e.name, setText(e.set), whenText(e.when, now)]),
        )
      }),
    )

const registerWorkingHours = (schedule: Command, runtime: CliRuntime) =>
  schedule
    .command('working-hours')
    .description('my working hours (outside them colleagues see "off work", by policy)')
    .argument('[spans...]', 'DAYS HH:MM-HH:MM, such as "mon-fri 08:00-17:00"')
    .option('--time-zone <zone>', 'my IANA time zone, such as Europe/Stockholm')
    .action(
      withContext(runtime, async (ctx, spans: string[], options: { timeZone?: string }) => {
        if (spans.length === 0 && !options.timeZone)
          throw usageError('give working hours or --time-zone')
        const body = {
          ...(spans.length > 0
            ? { workingHours: spans.map((s) => parseWeeklySpan(s, 'working hours')) }
            : {}),
          ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        }
        const me: { timeZone: string; workingHours?: Span[] } = await dataOf(
          ctx.client().api.PATCH('/v1/me', { body: body as BodyOf<'/v1/me', 'patch'> }),
        )
        if (ctx.json) return printJson(runtime.io.stdout, me)
        const hours = (me.workingHours ?? []).map((s) => `${s.days.join(',')} ${s.start}-${s.end}`)
        writeLine(
          runtime.io.stdout,
          `working hours ${hours.join('; ') || '(always)'} in ${me.timeZone}`,
        )
      }),
    )

const registerFreeBusy = (schedule: Command, runtime: CliRuntime) =>
  schedule
    .command('free-busy')
    .description("someone's busy times, as their policy lets me see them")
    .argument('<address>')
    .option('--days <n>', 'how many days ahead', '7')
    .action(
      withContext(runtime, async (ctx, address: string, options: { days: string }) => {
        const days = Number(options.days)
        if (!Number.isInteger(days) || days < 1 || days > 62)
          throw usageError('--days is a whole number from 1 to 62')
        const from = Date.now()
        const to = from + days * 86_400_000
        const params = { path: { address: addressArgument(address) }, query: { from, to } }
        const reply: {
          shown: boolean
          busy: { startsAt: number; endsAt: number; kind: string }[]
        } = await dataOf(ctx.client().api.GET('/v1/people/{address}/free-busy', { params }))
        if (ctx.json) return printJson(runtime.io.stdout, reply)
        if (!reply.shown)
          return writeLine(runtime.io.stdout, `${address} does not share free/busy with you`)
        if (reply.busy.length === 0)
          return writeLine(runtime.io.stdout, `${address} is free for the next ${days} days`)
        printTable(
          runtime.io.stdout,
          ['FROM', 'TO', 'KIND'],
          reply.busy.map((b) => [formatWhen(b.startsAt, from), formatWhen(b.endsAt, from), b.kind]),
        )
      }),
    )

export const registerScheduleCommand = (program: Command, runtime: CliRuntime): void => {
  const schedule = program
    .command('schedule')
    .description('planned do-not-disturb, notes and work locations; working hours; free/busy')
  registerAdd(schedule, runtime)
  registerList(schedule, runtime)
  schedule
    .command('remove')
    .description('remove a schedule entry (what it sets ends at once)')
    .argument('<id>')
    .action(
      withContext(runtime, async (ctx, id: string) => {
        await ctx.client().api.DELETE('/v1/me/schedule/{id}', { params: { path: { id } } })
        if (ctx.json) return printJson(runtime.io.stdout, { id, removed: true })
        writeLine(runtime.io.stdout, `removed ${id}`)
      }),
    )
  registerWorkingHours(schedule, runtime)
  registerFreeBusy(schedule, runtime)
}

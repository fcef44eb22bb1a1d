// `narvaro who --team T [--available] [--via KIND] [--live]`, `narvaro reach ADDRESS --via KIND`,
// `narvaro route ADDRESS --urgency U` and `narvaro pick --team T --via KIND`: team availability
// as the server computes it from my views; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { WhoEntrySchema } from '../../transports/rest/availability-routes.js'
import {
  NarvaroApiError,
  type AckMessage,
  type BodyOf,
  type QueryOf,
  type WhoRequest,
} from '@narvaro/sdk'
import { dataOf } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { addressArgument, contactKindOption } from '../shared/cli-input.js'
import { contactKinds } from '../../core/model/presence-model.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { LiveSession } from '../shared/live-session.js'
import {
  formatTimeOfDay,
  formatWhen,
  printJson,
  printTable,
  truncate,
  writeLine,
} from '../shared/output.js'
import { activitiesText } from '../shared/presence-format.js'

type WhoEntry = Static<typeof WhoEntrySchema>

const urgencies = ['low', 'normal', 'high', 'urgent']

export interface TeamWhoOptions {
  readonly team?: string
  readonly skill?: string
  readonly list?: string
  readonly search?: string
  readonly available?: boolean
  readonly via?: string
  readonly meeting?: boolean
  readonly live?: boolean
}

const kindOption = (via: string | undefined): string | undefined =>
  via === undefined ? undefined : contactKindOption(via, '--via')

const entryRow = (entry: WhoEntry): string[] => [
  entry.address,
  entry.view.displayName ?? '',
  entry.view.availability,
  activitiesText(entry.view.activities),
  entry.best
    ? `${entry.best.kind} ${entry.best.address}${entry.reachableNow ? '' : ' (not now)'}`
    : '-',
  entry.view.note ? truncate(entry.view.note.text) : '',
]

const headers = ['ADDRESS', 'NAME', 'AVAILABILITY', 'ACTIVITIES', 'BEST WAY NOW', 'NOTE']

/** `who` with a team: the availability question (the plain `who` lists my subscriptions). */
export const teamWho = async (
  runtime: CliRuntime,
  command: Command,
  options: TeamWhoOptions,
): Promise<void> => {
  const via = kindOption(options.via)
  if (!options.team && !options.skill && !options.list && !options.search) {
    throw usageError(
      'give --team, --skill, --list or --search (or no option to list whom you watch)',
    )
  }
  const selection = {
    ...(options.team ? { team: options.team } : {}),
    ...(options.skill ? { skill: options.skill } : {}),
    ...(options.list ? { list: options.list } : {}),
    ...(options.search ? { search: options.search } : {}),
  }
  const filter = {
    ...(options.available ? { availability: ['available'] } : {}),
    ...(via ? { reachableBy: via } : {}),
    ...(options.meeting ? { availableForMeeting: true } : {}),
  }
  if (options.live) return liveWho(runtime, command, selection, filter)
  const context = runtime.context(command)
  const query = {
    ...selection,
    ...(filter.availability ? { availability: filter.availability.join(',') } : {}),
    ...(filter.reachableBy ? { reachableBy: filter.reachableBy } : {}),
    ...(filter.availableForMeeting ? { availableForMeeting: true } : {}),
  } as QueryOf<'/v1/availability', 'get'>
  const entries = (await context.client().who(query)) as WhoEntry[]
  if (context.json) return printJson(runtime.io.stdout, entries)
  if (entries.length === 0) return writeLine(runtime.io.stderr, 'nobody matches right now')
  printTable(runtime.io.stdout, headers, entries.map(entryRow))
}

const liveWho = async (
  runtime: CliRuntime,
  command: Command,
  selection: Record<string, string>,
  filter: Record<string, unknown>,
) => {
  const { io } = runtime
  const context = runtime.context(command)
  const print = (line: string, json: unknown) =>
    writeLine(io.stdout, context.json ? JSON.stringify(json) : line)
  const onAnswer = (ack: AckMessage) => {
    const entries = (ack.entries ?? []) as WhoEntry[]
    const who = entries.map((e) => e.address).join(', ') || '-'
    print(`${formatTimeOfDay(Date.now())} ${entries.length} match: ${who}`, ack)
  }
  const onRefused = (error: unknown) => {
    // A connection cut before the answer asks again once it is back.
    if (!(error instanceof NarvaroApiError)) return
    writeLine(io.stderr, `error: ${error.message}`)
    runtime.exitCode = 1
    session.stop()
  }
  const query = { ...selection, ...filter } as WhoRequest
  // A new connection (the first, or after a reconnect) asks again and prints the whole answer.
  const session = new LiveSession(context, {
    onWelcome: () => void session.live.who(query).then(onAnswer, onRefused),
  })
  session.live.on('who-change', (message) => {
    const entry = message.entry as WhoEntry | undefined
    const how = entry?.best ? ` (${entry.best.kind} ${entry.best.address})` : ''
    // `~`: still in the answer, with something of what I see of them changed (shown first).
    const sign = { joined: '+', changed: '~', left: '-' }[message.op]
    const now = message.op === 'changed' && entry ? ` ${entry.view.availability}` : ''
    print(`${formatTimeOfDay(Date.now())} ${sign} ${message.address}${now}${how}`, message)
  })
  await session.run(io.signals)
}

interface ReachReply {
  address: string
  reachable: boolean
  via?: { kind: string; address: string }
  reason?: string
  text: string
  alternative?: { kind: string; address: string }
}

const reach = async (
  runtime: CliRuntime,
  command: Command,
  rawAddress: string,
  options: { via: string },
) => {
  const via = kindOption(options.via)!
  const address = addressArgument(rawAddress)
  const context = runtime.context(command)
  const query = { via: via as QueryOf<'/v1/reach/{address}', 'get'>['via'] }
  const params = { path: { address }, query }
  const answer = (await dataOf(
    context.client().api.GET('/v1/reach/{address}', { params }),
  )) as ReachReply
  if (context.json) return printJson(runtime.io.stdout, answer)
  if (answer.reachable) writeLine(runtime.io.stdout, `yes: ${answer.text}`)
  else {
    writeLine(runtime.io.stdout, `no (${answer.reason}): ${answer.text}`)
    runtime.exitCode = 1
  }
}

interface RouteReply {
  address: string
  deliver: string
  via?: { kind: string; address: string }
  reason: string
  text: string
}

const route = async (
  runtime: CliRuntime,
  command: Command,
  rawAddress: string,
  options: { urgency: string },
) => {
  if (!urgencies.includes(options.urgency)) {
    throw usageError(`--urgency ${JSON.stringify(options.urgency)}: one of ${urgencies.join(', ')}`)
  }
  const address = addressArgument(rawAddress)
  const context = runtime.context(command)
  const urgency = options.urgency as QueryOf<'/v1/route/{address}', 'get'>['urgency']
  const params = { path: { address }, query: { urgency } }
  const answer = (await dataOf(
    context.client().api.GET('/v1/route/{address}', { params }),
  )) as RouteReply
  if (context.json) return printJson(runtime.io.stdout, answer)
  const to = answer.via ? ` ${answer.via.address}` : ''
  writeLine(runtime.io.stdout, `${answer.deliver}${to} (${answer.reason}): ${answer.text}`)
}

interface PickReply {
  picked?: WhoEntry
  candidates: number
  firstFreeAt?: number
}

const pick = async (
  runtime: CliRuntime,
  command: Command,
  options: { team: string; skill?: string; via: string },
) => {
  const via = kindOption(options.via)!
  const context = runtime.context(command)
  const body = { team: options.team, ...(options.skill ? { skill: options.skill } : {}), via }
  const answer = (await dataOf(
    context.client().api.POST('/v1/pick', { body: body as BodyOf<'/v1/pick', 'post'> }),
  )) as PickReply
  if (!answer.picked) runtime.exitCode = 1
  if (context.json) return printJson(runtime.io.stdout, answer)
  if (answer.picked) {
    const best = answer.picked.best
      ? ` — ${answer.picked.best.kind} ${answer.picked.best.address}`
      : ''
    return writeLine(runtime.io.stdout, `${answer.picked.address}${best}`)
  }
  const when = answer.firstFreeAt
    ? `; the first is expected free at ${formatWhen(answer.firstFreeAt)}`
    : ''
  const who = options.skill ? `${options.team} with ${options.skill}` : options.team
  writeLine(runtime.io.stdout, `nobody of ${who} can take ${via} now${when}`)
}

export const registerTeamCommands = (program: Command, runtime: CliRuntime): void => {
  program
    .command('reach')
    .description(
      'can I reach this person by a contact kind now? (exit 1 when not, with the reason)',
    )
    .argument('<address>', "the person's address")
    .requiredOption('--via <kind>', `${contactKinds.join(', ')}`)
    .action((address: string, options: { via: string }, command: Command) =>
      reach(runtime, command, address, options),
    )
  program
    .command('route')
    .description('where a message of this urgency to this person should go now, and why')
    .argument('<address>', "the person's address")
    .option('--urgency <urgency>', urgencies.join(', '), 'normal')
    .action((address: string, options: { urgency: string }, command: Command) =>
      route(runtime, command, address, options),
    )
  program
    .command('pick')
    .description(
      'pick one available person of a team who can take a contact kind now (least recently picked)',
    )
    .requiredOption('--team <team>', 'the team, by name or id')
    .option('--skill <tag>', 'only people with this tag (a skill)')
    .option('--via <kind>', contactKinds.join(', '), 'im')
    .action((options: { team: string; skill?: string; via: string }, command: Command) =>
      pick(runtime, command, options),
    )
}

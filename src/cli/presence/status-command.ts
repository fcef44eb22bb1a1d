// `narvaro status set|get`: my manual choice and note, and presence with its provenance (why am I
// shown as busy?), or someone's view; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { Presence } from '../../core/aggregation/presence.js'
import { activityKinds, manualAvailabilities } from '../../core/model/presence-model.js'
import type { ViewReply } from '../../transports/rest/rest-schemas.js'
import type { BodyOf, NarvaroClient } from '@narvaro/sdk'
import { usageError } from '../shared/cli-error.js'
import { parseWorkLocation } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { firstError, manualBodyValidator, noteValidator } from '../shared/cli-schemas.js'
import { printJson, writeLine } from '../shared/output.js'
import type { WireView } from '../shared/presence-format.js'
import { describeOwnPresence, describeView } from '../shared/presence-format.js'
import { parseTime } from '../shared/time-input.js'

interface SetOptions {
  readonly activity: string[]
  readonly note?: string
  readonly noteUntil?: string
  readonly until?: string
  readonly clear?: boolean
  readonly clearNote?: boolean
  readonly workLocation?: string
  readonly clearWorkLocation?: boolean
}

interface OwnPresenceReply {
  readonly seq: number
  readonly presence: Presence
  readonly view: WireView
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

/** `in-a-call`, or `custom:TEXT` for a custom activity. */
const parseActivity = (raw: string): { kind: string; text?: string } => {
  const [kind = '', ...rest] = raw.split(':')
  if (!(activityKinds as readonly string[]).includes(kind)) {
    throw usageError(
      `--activity ${JSON.stringify(raw)}: one of ${activityKinds.join(', ')} (custom:TEXT)`,
    )
  }
  return rest.length > 0 ? { kind, text: rest.join(':') } : { kind }
}

const checkCombination = (availability: string | undefined, options: SetOptions): void => {
  const anything =
    availability !== undefined ||
    options.note !== undefined ||
    options.clear ||
    options.clearNote ||
    options.workLocation !== undefined ||
    options.clearWorkLocation
  if (!anything) {
    throw usageError(
      'nothing to set: give an AVAILABILITY, --note, --work-location, --clear or --clear-note',
    )
  }
  if (options.workLocation && options.clearWorkLocation) {
    throw usageError('give either --work-location or --clear-work-location')
  }
  if (availability && options.clear)
    throw usageError('--clear removes the manual choice: give no AVAILABILITY with it')
  if (!availability && (options.activity.length > 0 || options.until)) {
    throw usageError('--activity and --until go with an AVAILABILITY')
  }
  if (options.noteUntil && !options.note) throw usageError('--note-until goes with --note')
  if (options.note && options.clearNote) throw usageError('give either --note or --clear-note')
  if (availability && !(manualAvailabilities as readonly string[]).includes(availability)) {
    throw usageError(
      `availability ${JSON.stringify(availability)}: one of ${manualAvailabilities.join(', ')}`,
    )
  }
}

/** The request bodies, checked against the API's schemas before anything is sent. */
const bodiesOf = (availability: string | undefined, options: SetOptions, now: number) => {
  const manual = availability && {
    availability,
    ...(options.activity.length > 0 ? { activities: options.activity.map(parseActivity) } : {}),
    ...(options.until ? { until: parseTime(options.until, now, '--until') } : {}),
  }
  const note = options.note !== undefined && {
    text: options.note,
    ...(options.noteUntil ? { expiresAt: parseTime(options.noteUntil, now, '--note-until') } : {}),
  }
  const workLocation =
    options.workLocation === undefined
      ? undefined
      : parseWorkLocation(options.workLocation, '--work-location')
  const manualProblem = manual ? firstError(manualBodyValidator, manual) : undefined
  if (manualProblem) throw usageError(`invalid manual choice: ${manualProblem}`)
  const noteProblem = note ? firstError(noteValidator, note) : undefined
  if (noteProblem) throw usageError(`invalid --note: ${noteProblem}`)
  return { manual: manual || undefined, note: note || undefined, workLocation }
}

const apply = async (
  client: NarvaroClient,
  options: SetOptions,
  bodies: ReturnType<typeof bodiesOf>,
) => {
  if (options.clear) await client.clearManual()
  if (bodies.manual)
    await client.setManual(bodies.manual as BodyOf<'/v1/me/presence/manual', 'put'>)
  if (options.clearNote) await client.clearNote()
  if (bodies.note) await client.setNote(bodies.note)
  if (options.clearWorkLocation) await client.api.DELETE('/v1/me/presence/work-location')
  if (bodies.workLocation)
    await client.api.PUT('/v1/me/presence/work-location', {
      body: bodies.workLocation as BodyOf<'/v1/me/presence/work-location', 'put'>,
    })
}

/** Why a manual choice does not show yet, and what to do about it. */
const offlineWarning = [
  'note: no device of yours is online, so watchers see you offline;',
  'your manual choice shows while a device or app of yours is online:',
  'run `narvaro connect` in another terminal to stay online from here.',
]

const set = async (
  runtime: CliRuntime,
  command: Command,
  input: SetOptions & { availability?: string },
) => {
  const context = runtime.context(command)
  checkCombination(input.availability, input)
  const bodies = bodiesOf(input.availability, input, Date.now())
  const client = context.client()
  await apply(client, input, bodies)
  const own = (await client.myPresence()) as OwnPresenceReply
  if (context.json) return printJson(runtime.io.stdout, own)
  writeLine(runtime.io.stdout, describeOwnPresence(own.presence))
  if (bodies.manual && own.presence.provenance.availability.rule === 'no-live-source') {
    for (const line of offlineWarning) writeLine(runtime.io.stderr, line)
  }
}

const get = async (runtime: CliRuntime, command: Command, address: string | undefined) => {
  const context = runtime.context(command)
  const client = context.client()
  if (address === undefined) {
    const own = (await client.myPresence()) as OwnPresenceReply
    if (context.json) return printJson(runtime.io.stdout, own)
    return writeLine(runtime.io.stdout, describeOwnPresence(own.presence))
  }
  const reply: Static<typeof ViewReply> = await client.presenceOf(address)
  if (context.json) return printJson(runtime.io.stdout, reply)
  writeLine(runtime.io.stdout, describeView(reply.view))
}

export const registerStatusCommand = (program: Command, runtime: CliRuntime): void => {
  const status = program.command('status').description('my presence, or someone else’s')
  status
    .command('set')
    .description('set my manual choice and note (TIME: ISO date-time, HH:MM, or 30m, 2h, 1d)')
    .argument('[availability]', manualAvailabilities.join(', '))
    .option(
      '--activity <kind>',
      'an activity with the choice (repeatable; custom:TEXT)',
      collect,
      [],
    )
    .option('--until <time>', 'when the manual choice ends')
    .option('--note <text>', 'my status note')
    .option('--note-until <time>', 'when the note ends')
    .option('--clear', 'remove my manual choice')
    .option('--clear-note', 'remove my note')
    .option('--work-location <where>', 'where I work now: office, office:SITE, remote, travelling')
    .option('--clear-work-location', 'let my schedule and devices decide where I work again')
    .action((availability: string | undefined, options: SetOptions, command: Command) =>
      set(runtime, command, { ...options, ...(availability ? { availability } : {}) }),
    )
  status
    .command('get')
    .description('my presence and why (without ADDRESS), or what I may see of ADDRESS')
    .argument('[address]', "someone's address")
    .action((address: string | undefined, _options: unknown, command: Command) =>
      get(runtime, command, address),
    )
}

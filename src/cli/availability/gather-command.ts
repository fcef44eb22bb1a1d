// `narvaro gather --team T --topic "..." [--later] [--for 1h] [--follow]`, `narvaro invitations` and
// `narvaro answer ID accept|decline`: quick meetings of who is free now; CLI layer.
import type { Command } from 'commander'
import type { BodyOf } from '@narvaro/sdk'
import { usageError } from '../shared/cli-error.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import type { GatheringEndedMessage, GatheringMessage } from '@narvaro/sdk'
import { LiveSession } from '../shared/live-session.js'
import { formatTimeOfDay, formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import { parseDurationSeconds } from '../shared/time-input.js'

interface Gathering {
  readonly id: string
  readonly topic: string
  readonly expiresAt: number
  readonly invitees: readonly { address: string; state: string }[]
}

interface GatherOptions {
  readonly team?: string
  readonly topic: string
  readonly later?: boolean
  readonly for: string
  readonly follow?: boolean
  readonly cancel?: string
}

const summary = (g: Gathering): string => {
  const count = (state: string) => g.invitees.filter((i) => i.state === state).length
  return `gathering ${g.id} "${g.topic}": ${count('invited')} invited now, ${count('waiting')} waiting until free`
}

/** One line of a gathering's progress: an invitee's answer, or its end. */
const answerLine = (message: GatheringMessage | GatheringEndedMessage, json: boolean): string => {
  if (json) return JSON.stringify(message)
  if (message.type === 'gathering') {
    return `${formatTimeOfDay(Date.now())} ${message.address} ${String(message.state)}`
  }
  return `${formatTimeOfDay(Date.now())} gathering ${String(message.reason)}`
}

/** What a started gathering is, and where each invitee stands. */
const printStarted = (io: CliRuntime['io'], started: Gathering): void => {
  writeLine(io.stderr, `${summary(started)} (Ctrl-C stops following; the gathering goes on)`)
  for (const invitee of started.invitees) {
    writeLine(io.stdout, `${formatTimeOfDay(Date.now())} ${invitee.address} ${invitee.state}`)
  }
}

/** Follows the answers of a gathering live until it ends (or Ctrl-C). */
const follow = async (runtime: CliRuntime, command: Command, start: () => Promise<Gathering>) => {
  const { io } = runtime
  const context = runtime.context(command)
  let gathering: Gathering | undefined
  const early: (GatheringMessage | GatheringEndedMessage)[] = []
  const onMessage = (message: GatheringMessage | GatheringEndedMessage) => {
    if (!gathering) return void early.push(message)
    if (message.gathering !== gathering.id) return
    writeLine(io.stdout, answerLine(message, context.json))
    if (message.type === 'gathering-ended') session.stop()
  }
  // The gathering starts once the connection is live, so that no answer can be missed.
  const session = new LiveSession(context, {
    onWelcome: (reconnected) => {
      if (reconnected || gathering) return
      void start()
        .then((started) => {
          gathering = started
          printStarted(io, started)
          for (const message of early.splice(0)) onMessage(message)
        })
        .catch((error: unknown) => {
          writeLine(io.stderr, `error: ${error instanceof Error ? error.message : String(error)}`)
          runtime.exitCode = 1
          session.stop()
        })
    },
  })
  session.live.on('gathering', onMessage)
  session.live.on('gathering-ended', onMessage)
  await session.run(io.signals)
}

const gather = async (
  runtime: CliRuntime,
  command: Command,
  addresses: string[],
  options: GatherOptions,
) => {
  const context = runtime.context(command)
  if (options.cancel) {
    const params = { path: { id: options.cancel } }
    await context.client().api.DELETE('/v1/gatherings/{id}', { params })
    return writeLine(runtime.io.stderr, 'cancelled; the invitees were told')
  }
  if (!options.team && addresses.length === 0)
    throw usageError('give --team NAME or the addresses to gather')
  const body = {
    ...(options.team ? { team: options.team } : {}),
    ...(addresses.length > 0 ? { addresses } : {}),
    topic: options.topic,
    inviteLater: options.later === true,
    expiresInSeconds: parseDurationSeconds(options.for, '--for'),
  }
  const start = async () =>
    (await context.client().gather(body as BodyOf<'/v1/gatherings', 'post'>)) as Gathering
  if (options.follow) return follow(runtime, command, start)
  const started = await start()
  if (context.json) return printJson(runtime.io.stdout, started)
  writeLine(runtime.io.stderr, summary(started))
  printTable(
    runtime.io.stdout,
    ['ADDRESS', 'STATE'],
    started.invitees.map((i) => [i.address, i.state]),
  )
}

interface Invitation {
  readonly gathering: string
  readonly organizer: string
  readonly topic: string
  readonly expiresAt: number
  readonly state: string
}

const invitations = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const list = (await context.client().invitations()) as Invitation[]
  if (context.json) return printJson(runtime.io.stdout, list)
  if (list.length === 0) return writeLine(runtime.io.stderr, 'no invitations')
  const now = Date.now()
  printTable(
    runtime.io.stdout,
    ['ID', 'FROM', 'TOPIC', 'STATE', 'UNTIL'],
    list.map((i) => [i.gathering, i.organizer, i.topic, i.state, formatWhen(i.expiresAt, now)]),
  )
}

const answer = async (runtime: CliRuntime, command: Command, id: string, choice: string) => {
  if (choice !== 'accept' && choice !== 'decline') throw usageError('answer accept or decline')
  const context = runtime.context(command)
  const reply: { state: string } = await context.client().answerInvitation(id, { answer: choice })
  if (context.json) return printJson(runtime.io.stdout, reply)
  writeLine(runtime.io.stdout, reply.state)
}

export const registerGatherCommands = (program: Command, runtime: CliRuntime): void => {
  program
    .command('gather')
    .description(
      'gather a quick meeting: invite now only who is free (with --later, the others once free)',
    )
    .argument('[addresses...]', 'people to gather (or --team)')
    .option('--team <team>', 'a team, by name or id')
    .option('--topic <text>', 'what it is about', 'Quick meeting')
    .option('--later', 'invite the others the moment they become free (default: leave them alone)')
    .option(
      '--for <duration>',
      'how long the gathering stays open, e.g. 30m, 1h (at most 8h)',
      '1h',
    )
    .option('--follow', 'stay connected and print each answer as it comes')
    .option('--cancel <id>', 'cancel a gathering of mine')
    .action((addresses: string[], options: GatherOptions, command: Command) =>
      gather(runtime, command, addresses, options),
    )
  program
    .command('invitations')
    .description('invitations to quick meetings I received')
    .action((_options: unknown, command: Command) => invitations(runtime, command))
  program
    .command('answer')
    .description('accept or decline an invitation')
    .argument('<id>', 'the gathering id')
    .argument('<answer>', 'accept or decline')
    .action((id: string, choice: string, _options: unknown, command: Command) =>
      answer(runtime, command, id, choice),
    )
}

// `narvaro notify-when-available ADDRESS [--for 2h] [--wait]`, `--list`, `--cancel ID`: one-shot
// watches that tell you once when someone becomes available; CLI layer.
import type { Command } from 'commander'
import { dataOf } from '../shared/cli-context.js'
import { toCliError, usageError } from '../shared/cli-error.js'
import { addressArgument } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import type { AvailableMessage, NotifyExpiredMessage } from '@narvaro/sdk'
import { LiveSession } from '../shared/live-session.js'
import { formatTimeOfDay, formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import { parseDurationSeconds } from '../shared/time-input.js'

interface AvailabilityWatch {
  readonly id: string
  readonly address: string
  readonly createdAt: number
  readonly expiresAt: number
  /** `notified`: available already (told at once); older servers do not say. */
  readonly state?: 'waiting' | 'notified'
}

interface NotifyOptions {
  readonly for: string
  readonly wait?: boolean
  readonly list?: boolean
  readonly cancel?: string
}

const list = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const watches = (await dataOf(
    context.client().api.GET('/v1/me/notify-when-available'),
  )) as AvailabilityWatch[]
  if (context.json) return printJson(runtime.io.stdout, watches)
  if (watches.length === 0)
    return writeLine(runtime.io.stderr, 'no open notify-when-available watches')
  const now = Date.now()
  printTable(
    runtime.io.stdout,
    ['ID', 'ADDRESS', 'UNTIL'],
    watches.map((w) => [w.id, w.address, formatWhen(w.expiresAt, now)]),
  )
}

/** What became of a watch, as a line for people. */
const outcomeLine = (watch: AvailabilityWatch, available: boolean): string =>
  `${formatTimeOfDay(Date.now())} ${watch.address} ${available ? 'is available' : 'did not become available in time'}`

/** Waits on a live connection for the watch's `available` or `notify-expired` message. */
const waitFor = async (
  runtime: CliRuntime,
  command: Command,
  create: () => Promise<AvailabilityWatch>,
) => {
  const { io } = runtime
  const context = runtime.context(command)
  let watch: AvailabilityWatch | undefined
  const early: (AvailableMessage | NotifyExpiredMessage)[] = []
  const onMessage = (message: AvailableMessage | NotifyExpiredMessage) => {
    if (!watch) return void early.push(message)
    if (message.watch !== watch.id) return
    const available = message.type === 'available'
    writeLine(io.stdout, context.json ? JSON.stringify(message) : outcomeLine(watch, available))
    if (!available) runtime.exitCode = 1
    session.stop()
  }
  // The watch is made once the connection is live, so that its message cannot be missed.
  const session = new LiveSession(context, {
    onWelcome: (reconnected) => {
      if (reconnected || watch) return
      void create()
        .then((created) => {
          watch = created
          writeLine(io.stderr, `waiting until ${created.address} is available (Ctrl-C to stop)`)
          for (const message of early.splice(0)) onMessage(message)
        })
        .catch((error: unknown) => session.fail(toCliError(error)))
    },
  })
  session.live.on('available', onMessage)
  session.live.on('notify-expired', onMessage)
  await session.run(io.signals)
}

const notify = async (
  runtime: CliRuntime,
  command: Command,
  rawAddress: string | undefined,
  options: NotifyOptions,
) => {
  const context = runtime.context(command)
  if (options.list) return list(runtime, command)
  if (options.cancel) {
    const params = { path: { id: options.cancel } }
    await context.client().api.DELETE('/v1/me/notify-when-available/{id}', { params })
    return context.json
      ? printJson(runtime.io.stdout, { cancelled: options.cancel })
      : writeLine(runtime.io.stderr, 'cancelled')
  }
  if (!rawAddress) throw usageError('give the address to wait for (or --list, --cancel ID)')
  const address = addressArgument(rawAddress)
  const expiresInSeconds = parseDurationSeconds(options.for, '--for')
  const create = async () =>
    (await context.client().notifyWhenAvailable({ address, expiresInSeconds })) as AvailabilityWatch
  if (options.wait) return waitFor(runtime, command, create)
  const watch = await create()
  if (context.json) return printJson(runtime.io.stdout, watch)
  writeLine(runtime.io.stdout, watch.id)
  if (watch.state === 'notified')
    return writeLine(runtime.io.stderr, `${watch.address} is available now`)
  writeLine(
    runtime.io.stderr,
    `you will be told once, on your live connections, when ${watch.address} is available (until ${formatWhen(watch.expiresAt, Date.now())})`,
  )
}

export const registerNotifyCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('notify-when-available')
    .description('be told once when someone becomes available (a one-shot watch)')
    .argument('[address]', "the person's address")
    .option('--for <duration>', 'how long to wait at most, e.g. 30m, 2h, 1d (at most 7d)', '8h')
    .option('--wait', 'stay connected and print the moment they become available')
    .option('--list', 'list my open watches')
    .option('--cancel <id>', 'cancel a watch')
    .action((address: string | undefined, options: NotifyOptions, command: Command) =>
      notify(runtime, command, address, options),
    )
}

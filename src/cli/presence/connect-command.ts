// `narvaro connect`: a long-lived client session that keeps one device of mine online while it
// runs, so that my manual choice shows; ends on SIGINT or SIGTERM; CLI layer.
import type { Command } from 'commander'
import { contactKinds, sourceAvailabilities } from '../../core/model/presence-model.js'
import { usageError } from '../shared/cli-error.js'
import { commaList } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { firstError, publishValidator } from '../shared/cli-schemas.js'
import { LiveSession } from '../shared/live-session.js'
import type { PublishInput } from './connect-session.js'
import { keepPublished } from './connect-session.js'
import { formatTimeOfDay, writeLine } from '../shared/output.js'

interface ConnectOptions {
  readonly device: string
  readonly availability: string
  readonly capabilities?: string
  readonly name?: string
}

/** The publication, checked against the protocol's `publish` schema before connecting. */
export const publicationOf = (options: ConnectOptions): PublishInput => {
  if (!(sourceAvailabilities as readonly string[]).includes(options.availability)) {
    const one = sourceAvailabilities.join(', ')
    throw usageError(`--availability ${JSON.stringify(options.availability)}: one of ${one}`)
  }
  const capabilities = options.capabilities === undefined ? [] : commaList(options.capabilities)
  const unknown = capabilities.find((c) => !(contactKinds as readonly string[]).includes(c))
  if (unknown !== undefined) {
    throw usageError(
      `--capabilities: ${JSON.stringify(unknown)} is not one of ${contactKinds.join(', ')}`,
    )
  }
  const publish = {
    source: options.device,
    availability: options.availability,
    device: {
      ...(options.name === undefined ? {} : { name: options.name }),
      kind: 'desktop',
      capabilities: [...new Set(capabilities)],
    },
  }
  const problem = firstError(publishValidator, { type: 'publish', ...publish })
  if (problem) throw usageError(`invalid device: ${problem} (--device: letters, digits, . _ -)`)
  // Checked against the protocol's schema just above.
  return publish as PublishInput
}

const onlineLine = (address: string, publish: PublishInput, reconnected: boolean): string => {
  const at = formatTimeOfDay(Date.now())
  if (reconnected) return `${at} reconnected: ${address} online again (device ${publish.source})`
  const availability = String(publish['availability'])
  const device = `device ${publish.source}, ${availability}`
  return `${at} online as ${address} (${device}); Ctrl-C to disconnect`
}

const connect = async (runtime: CliRuntime, command: Command, options: ConnectOptions) => {
  const { io } = runtime
  const publish = publicationOf(options)
  const context = runtime.context(command)
  // Ending the session closes the connection: the server ends the publication after its grace
  // period, so a quick restart does not flap.
  const session = new LiveSession(context, {
    onStart: () => start(),
    onSignal: () =>
      writeLine(io.stderr, 'disconnected: the server ends the publication after its grace period'),
  })
  const start = keepPublished(session, publish, {
    onOnline: (address, reconnected) => {
      const event = { event: reconnected ? 'reconnected' : 'online', address, at: Date.now() }
      const json = JSON.stringify({ ...event, source: publish.source })
      writeLine(io.stdout, context.json ? json : onlineLine(address, publish, reconnected))
    },
  })
  await session.run(io.signals)
}

export const registerConnectCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('connect')
    .description('stay online as a device while this runs, so my manual choice shows to watchers')
    .option('--device <id>', 'the device (source) id', 'cli')
    .option('--availability <availability>', sourceAvailabilities.join(', '), 'available')
    .option('--capabilities <kinds>', `what this device can take: ${contactKinds.join(',')}`)
    .option('--name <name>', "the device's name")
    .action((options: ConnectOptions, command: Command) => connect(runtime, command, options))
}

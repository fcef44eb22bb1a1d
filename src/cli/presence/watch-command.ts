// `narvaro watch ADDRESS...`: one line per snapshot or change of each view, live, or JSON lines;
// ends on SIGINT or after `--count` lines; CLI layer.
import type { Command } from 'commander'
import { parseAddress } from '../../core/model/address.js'
import { usageError } from '../shared/cli-error.js'
import type { TextSink } from '../shared/cli-io.js'
import { waitForSignal } from '../shared/cli-io.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { formatTimeOfDay, writeLine } from '../shared/output.js'
import { viewLine } from '../shared/presence-format.js'
import type { ViewMessage, WatchEvents } from '../shared/watch-client.js'
import { PresenceWatch } from '../shared/watch-client.js'

interface WatchInput {
  readonly addresses: readonly string[]
  readonly count?: string
}

const parseCount = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined
  const count = Number(raw)
  if (!Number.isInteger(count) || count < 1)
    throw usageError(`--count ${JSON.stringify(raw)}: a whole number from 1`)
  return count
}

const normalizeAddresses = (raw: readonly string[]): string[] =>
  raw.map((address) => {
    const parsed = parseAddress(address)
    if (!parsed) throw usageError(`not a valid address: ${JSON.stringify(address)}`)
    return parsed.address
  })

/** `12:03:04 bob@example.com busy (in-a-call) "note"`, marked when it is a resync snapshot. */
export const formatViewMessage = (message: ViewMessage, receivedAt: number): string => {
  const marker = message.resync ? ' [resync]' : ''
  return `${formatTimeOfDay(receivedAt)} ${viewLine(message.view, receivedAt)}${marker}`
}

const eventsFor = (
  sinks: { stdout: TextSink; stderr: TextSink; json: boolean },
  onLine: () => void,
): WatchEvents => ({
  onView: (message) => {
    const at = Date.now()
    const { type, address, seq, view, resync } = message
    const json = JSON.stringify({ type, address, seq, at, view, ...(resync ? { resync } : {}) })
    writeLine(sinks.stdout, sinks.json ? json : formatViewMessage(message, at))
    onLine()
  },
  onNotice: (text) => writeLine(sinks.stderr, text),
  onFailures: (failures) => {
    for (const f of failures) writeLine(sinks.stderr, `error ${f.code}: ${f.message}`)
  },
})

const watch = async (runtime: CliRuntime, command: Command, input: WatchInput): Promise<void> => {
  const { io } = runtime
  const addresses = normalizeAddresses(input.addresses)
  const count = parseCount(input.count)
  const context = runtime.context(command)
  let lines = 0
  const events = eventsFor({ stdout: io.stdout, stderr: io.stderr, json: context.json }, () => {
    if (count !== undefined && ++lines >= count) client.stop()
  })
  const client = new PresenceWatch(
    { server: context.server, token: context.token(), addresses },
    events,
  )
  const signal = waitForSignal(io.signals)
  void signal.received.then(() => client.stop())
  client.start()
  try {
    await client.done
  } finally {
    signal.stop()
  }
}

export const registerWatchCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('watch')
    .description('follow presentities live, one line per change (reconnects by itself)')
    .argument('<address...>', 'addresses to watch')
    .option('--count <n>', 'end after this many snapshot and change lines')
    .action((addresses: string[], options: { count?: string }, command: Command) =>
      watch(runtime, command, { addresses, ...options }),
    )
}

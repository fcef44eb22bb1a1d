// `narvaro watch ADDRESS...`: one line per snapshot or change of each view, live, or JSON lines;
// ends on SIGINT or after `--count` lines; CLI layer.
import type { AckMessage, ChangeMessage, SnapshotMessage } from '@narvaro/sdk'
import type { Command } from 'commander'
import { parseAddress } from '../../core/model/address.js'
import { apiError, toCliError, usageError } from '../shared/cli-error.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { LiveSession } from '../shared/live-session.js'
import { formatTimeOfDay, writeLine } from '../shared/output.js'
import type { WireView } from '../shared/presence-format.js'
import { viewLine } from '../shared/presence-format.js'

/** A snapshot or a change of one presentity's view, as the server sent it. */
export type ViewMessage = SnapshotMessage | ChangeMessage

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
  const resync = 'resync' in message && message.resync ? ' [resync]' : ''
  return `${formatTimeOfDay(receivedAt)} ${viewLine(message.view as WireView, receivedAt)}${resync}`
}

/** The answer to the subscription: refused addresses on stderr; none left ends the command. */
const onSubscribed = (session: LiveSession, ack: AckMessage, watched: Set<string>): void => {
  const failed = ack.failed ?? []
  for (const f of failed) session.notice(`error ${f.code}: ${f.message}`)
  for (const f of failed) watched.delete(f.address)
  if ((ack.subscribed ?? []).length > 0) return
  session.fail(apiError(failed[0]?.code ?? 'NRV_NOT_FOUND', 'none of the addresses can be watched'))
}

/** Follows `addresses` (the SDK resumes after a reconnect) and prints each snapshot and change. */
const follow = (session: LiveSession, addresses: string[], print: (m: ViewMessage) => void) => {
  const { live } = session
  const watched = new Set(addresses)
  live.on('snapshot', print)
  live.on('change', print)
  live.on('unwatched', ({ address }) => {
    watched.delete(address)
    session.notice(`${address} can no longer be watched`)
    if (watched.size === 0) session.fail(apiError('NRV_NOT_FOUND', 'nothing left to watch'))
    else live.unsubscribe([address]).catch(() => undefined)
  })
  return () =>
    live.subscribe(addresses).then(
      (ack) => onSubscribed(session, ack, watched),
      (error: unknown) => session.fail(toCliError(error)),
    )
}

const watch = async (runtime: CliRuntime, command: Command, input: WatchInput): Promise<void> => {
  const { io } = runtime
  const addresses = normalizeAddresses(input.addresses)
  const count = parseCount(input.count)
  const context = runtime.context(command)
  let lines = 0
  const print = (message: ViewMessage) => {
    const at = Date.now()
    const { type, address, seq, view } = message
    const resync = 'resync' in message && message.resync ? { resync: true } : {}
    const json = JSON.stringify({ type, address, seq, at, view, ...resync })
    writeLine(io.stdout, context.json ? json : formatViewMessage(message, at))
    if (count !== undefined && ++lines >= count) session.stop()
  }
  const start = { onStart: () => void subscribe() }
  const session = new LiveSession(context, start)
  const subscribe = follow(session, addresses, print)
  await session.run(io.signals)
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

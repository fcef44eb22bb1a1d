// `narvaro watchers [--live]|approve|deny|revoke`: who watches me and who asked (watcher info), the
// decisions on requests, and requests as they arrive over the WebSocket; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { WatcherInfoSchema } from '../../transports/rest/privacy-schemas.js'
import { addressArgument } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { LiveSession } from '../shared/live-session.js'
import { formatTimeOfDay, formatWhen, printJson, printTable, writeLine } from '../shared/output.js'

type WatcherInfo = Static<typeof WatcherInfoSchema>

const list = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const watchers: WatcherInfo[] = await context.client().watchers()
  if (context.json) return printJson(runtime.io.stdout, watchers)
  if (watchers.length === 0) return writeLine(runtime.io.stderr, 'nobody watches you or asked to')
  const now = Date.now()
  const rows = watchers.map((w) => [
    w.watcherAddress,
    w.state,
    w.handling,
    formatWhen(w.createdAt, now),
  ])
  printTable(runtime.io.stdout, ['WATCHER', 'STATE', 'HANDLING', 'SINCE'], rows)
}

/** `10:02:11 bob@example.com pending`, with the command that decides a pending request. */
export const watcherLine = (watcher: string, state: string, at: number): string => {
  const hint = state === 'pending' ? ` (narvaro watchers approve|deny ${watcher})` : ''
  return `${formatTimeOfDay(at)} ${watcher} ${state}${hint}`
}

const live = async (runtime: CliRuntime, command: Command) => {
  const { io } = runtime
  const context = runtime.context(command)
  const session = new LiveSession(context, {
    onWelcome: (reconnected) => {
      if (!reconnected) writeLine(io.stderr, 'waiting for watcher requests and decisions')
    },
  })
  session.live.on('watcher', (message) => {
    const { watcher } = message
    const state = String(message.state)
    const at = Date.now()
    const json = JSON.stringify({ type: 'watcher', watcher, state, at })
    writeLine(io.stdout, context.json ? json : watcherLine(watcher, state, at))
  })
  await session.run(io.signals)
}

const decide = async (
  runtime: CliRuntime,
  command: Command,
  input: { action: 'approve' | 'deny' | 'revoke'; address: string },
) => {
  const address = addressArgument(input.address)
  const context = runtime.context(command)
  const client = context.client()
  if (input.action === 'revoke') await client.revokeWatcher(address)
  else if (input.action === 'approve') await client.approveWatcher(address)
  else await client.denyWatcher(address)
  const done = { approve: 'approved', deny: 'denied', revoke: 'revoked' }[input.action]
  if (context.json) return printJson(runtime.io.stdout, { address, state: done })
  const after = {
    approve: `${address} now watches you`,
    deny: `denied ${address}'s request`,
    revoke: `revoked ${address}: they must ask again, and your rules decide again`,
  }[input.action]
  writeLine(runtime.io.stdout, after)
}

export const registerWatchersCommand = (program: Command, runtime: CliRuntime): void => {
  const watchers = program
    .command('watchers')
    .description('who watches me and who asked (WATCHER STATE HANDLING SINCE), or --live')
    .option('--live', 'print requests and decisions as they happen, until Ctrl-C')
    .action((options: { live?: boolean }, command: Command) =>
      options.live ? live(runtime, command) : list(runtime, command),
    )
  const descriptions = {
    approve: 'approve a pending request',
    deny: 'deny a request',
    revoke: 'end a watcher’s subscription (they must ask again)',
  } as const
  for (const action of ['approve', 'deny', 'revoke'] as const) {
    watchers
      .command(action)
      .description(descriptions[action])
      .argument('<address>', "the watcher's address")
      .action((address: string, _options: unknown, command: Command) =>
        decide(runtime, command, { action, address }),
      )
  }
}

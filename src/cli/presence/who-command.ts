// `narvaro who`, `subscribe` and `unsubscribe`: the presentities I watch, as a table of their
// views; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { SubscriptionSchema } from '../../transports/rest/rest-schemas.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import type { TeamWhoOptions } from '../availability/team-command.js'
import { teamWho } from '../availability/team-command.js'
import { formatWhen, printJson, printTable, truncate, writeLine } from '../shared/output.js'
import { activitiesText } from '../shared/presence-format.js'

type Subscription = Static<typeof SubscriptionSchema>

const lastSeenText = (view: Subscription['view'], now: number): string => {
  if (view.availability !== 'offline') return 'now'
  return view.lastSeen === undefined ? '-' : formatWhen(view.lastSeen, now)
}

const rowOf = (subscription: Subscription, now: number): string[] => {
  const { view } = subscription
  const state: string = subscription.state
  const availability =
    state === 'active' ? view.availability : state === 'pending' ? 'pending approval' : state
  return [
    subscription.presentityAddress,
    view.displayName ?? '',
    availability,
    activitiesText(view.activities),
    view.note ? truncate(view.note.text) : '',
    lastSeenText(view, now),
  ]
}

const who = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const subscriptions: Subscription[] = await context.client().subscriptions()
  if (context.json) return printJson(runtime.io.stdout, subscriptions)
  if (subscriptions.length === 0) {
    return writeLine(runtime.io.stderr, 'you watch nobody yet: `narvaro subscribe ADDRESS`')
  }
  const now = Date.now()
  const headers = ['ADDRESS', 'NAME', 'AVAILABILITY', 'ACTIVITIES', 'NOTE', 'LAST SEEN']
  printTable(
    runtime.io.stdout,
    headers,
    subscriptions.map((s) => rowOf(s, now)),
  )
}

const subscribe = async (runtime: CliRuntime, command: Command, address: string) => {
  const context = runtime.context(command)
  const subscription: Subscription = await context.client().subscribe({ address })
  if (context.json) return printJson(runtime.io.stdout, subscription)
  const state = subscription.state === 'pending' ? ' (pending their approval)' : ''
  writeLine(runtime.io.stdout, `watching ${subscription.presentityAddress}${state}`)
}

const unsubscribe = async (runtime: CliRuntime, command: Command, address: string) => {
  const context = runtime.context(command)
  await context.client().unsubscribe(address)
  if (context.json) return printJson(runtime.io.stdout, { address, unsubscribed: true })
  writeLine(runtime.io.stdout, `no longer watching ${address}`)
}

/** Whether any option asks about a team, a list or a search rather than the people I watch. */
const asksAboutPeople = (options: TeamWhoOptions): boolean =>
  Boolean(
    options.team ||
    options.skill ||
    options.list ||
    options.search ||
    options.available ||
    options.via ||
    options.meeting ||
    options.live,
  )

const registerWho = (program: Command, runtime: CliRuntime): void => {
  program
    .command('who')
    .description(
      'the presentities I watch; with --team, who of a team is available and how to reach them',
    )
    .option(
      '--team <team>',
      'a team, by name or id: who of it is available now, best reachable first',
    )
    .option('--skill <tag>', 'people with this tag (a skill); narrows --team')
    .option('--list <name>', 'one of my contact lists')
    .option('--search <text>', 'people whose address or name contains this')
    .option('--available', 'only people who are available')
    .option(
      '--via <kind>',
      'only people reachable now by this contact kind (im, voice, video, sms, email, phone)',
    )
    .option('--meeting', 'only people free to join a meeting now')
    .option('--live', 'keep the answer up to date: print who joins (+) and leaves (-) it')
    .action((options: TeamWhoOptions, command: Command) =>
      asksAboutPeople(options) ? teamWho(runtime, command, options) : who(runtime, command),
    )
}

export const registerWhoCommands = (program: Command, runtime: CliRuntime): void => {
  registerWho(program, runtime)
  program
    .command('subscribe')
    .description('watch a presentity (their policy decides)')
    .argument('<address>', "the presentity's address")
    .action((address: string, _options: unknown, command: Command) =>
      subscribe(runtime, command, address),
    )
  program
    .command('unsubscribe')
    .description('stop watching a presentity')
    .argument('<address>', "the presentity's address")
    .action((address: string, _options: unknown, command: Command) =>
      unsubscribe(runtime, command, address),
    )
}

// `narvaro contact list|add|remove`: my contact methods (how I prefer to be reached: kind, address,
// rank, work or personal), which watchers see as far as my policy allows; CLI layer.
import type { BodyOf, NarvaroClient } from '@narvaro/sdk'
import type { Command } from 'commander'
import { dataOf } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, printTable, writeLine } from '../shared/output.js'

interface ContactMethod {
  readonly id?: string
  readonly kind: string
  readonly address: string
  readonly rank: number
  readonly scope: string
  readonly hours?: unknown
}

const kinds = ['im', 'voice', 'video', 'sms', 'email', 'phone']
const scopes = ['work', 'personal']

const withoutId = ({ id: _id, ...method }: ContactMethod): ContactMethod => method

const methodsOf = async (client: NarvaroClient): Promise<ContactMethod[]> =>
  dataOf(client.api.GET('/v1/me/contact-methods'))

/** Replaces all my contact methods (kinds and scopes were checked before). */
const saveMethods = async (
  client: NarvaroClient,
  methods: readonly ContactMethod[],
): Promise<ContactMethod[]> => {
  const body = methods as BodyOf<'/v1/me/contact-methods', 'put'>
  return dataOf(client.api.PUT('/v1/me/contact-methods', { body }))
}

const show = (runtime: CliRuntime, json: boolean, methods: readonly ContactMethod[]) => {
  if (json) return printJson(runtime.io.stdout, methods)
  if (methods.length === 0)
    return writeLine(
      runtime.io.stderr,
      'no contact methods yet: `narvaro contact add KIND ADDRESS`',
    )
  printTable(
    runtime.io.stdout,
    ['KIND', 'ADDRESS', 'RANK', 'SCOPE'],
    methods.map((m) => [m.kind, m.address, String(m.rank), m.scope]),
  )
}

const list = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  show(runtime, context.json, await methodsOf(context.client()))
}

const add = async (
  runtime: CliRuntime,
  command: Command,
  kind: string,
  address: string,
  options: { rank?: string; scope: string },
) => {
  if (!kinds.includes(kind))
    throw usageError(`kind ${JSON.stringify(kind)}: one of ${kinds.join(', ')}`)
  if (!scopes.includes(options.scope)) throw usageError(`--scope: one of ${scopes.join(', ')}`)
  const context = runtime.context(command)
  const client = context.client()
  const current = (await methodsOf(client)).map(withoutId)
  const rank =
    options.rank === undefined
      ? Math.max(0, ...current.map((m) => m.rank)) + 1
      : Number(options.rank)
  if (!Number.isInteger(rank) || rank < 0 || rank > 1000)
    throw usageError('--rank: a whole number from 0 to 1000')
  const others = current.filter((m) => !(m.kind === kind && m.address === address))
  const saved = await saveMethods(client, [
    ...others,
    { kind, address, rank, scope: options.scope },
  ])
  show(runtime, context.json, saved)
}

const remove = async (runtime: CliRuntime, command: Command, kind: string, address: string) => {
  const context = runtime.context(command)
  const client = context.client()
  const current = (await methodsOf(client)).map(withoutId)
  const kept = current.filter((m) => !(m.kind === kind && m.address === address))
  if (kept.length === current.length)
    throw usageError(`you have no ${kind} contact method ${address}`)
  show(runtime, context.json, await saveMethods(client, kept))
}

export const registerContactCommand = (program: Command, runtime: CliRuntime): void => {
  const contact = program
    .command('contact')
    .description('my contact methods: how I prefer to be reached')
  contact
    .command('list')
    .description('my contact methods, preferred first')
    .action((_options: unknown, command: Command) => list(runtime, command))
  contact
    .command('add')
    .description('add (or change) a contact method')
    .argument('<kind>', kinds.join(', '))
    .argument('<address>', 'where: an IM address, sip: URI, phone number, e-mail address')
    .option('--rank <n>', 'lower is preferred (default: after the others)')
    .option(
      '--scope <scope>',
      'work or personal (personal ones are shown only with your consent)',
      'work',
    )
    .action(
      (
        kind: string,
        address: string,
        options: { rank?: string; scope: string },
        command: Command,
      ) => add(runtime, command, kind, address, options),
    )
  contact
    .command('remove')
    .description('remove a contact method')
    .argument('<kind>', kinds.join(', '))
    .argument('<address>', 'its address')
    .action((kind: string, address: string, _options: unknown, command: Command) =>
      remove(runtime, command, kind, address),
    )
}

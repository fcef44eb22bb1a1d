// `narvaro integration create|list|revoke|rotate|send`: admins manage the integration sources of their
// organization (phone systems, conference services), and `send` posts one event as an integration,
// with its token from an environment variable or a file (never from the command line); CLI layer.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { integrationEventStates, integrationEventTypes } from '../../app/integrations/index.js'
import { integrationKinds } from '../../ports/integration-store.js'
import type { BodyOf } from '@narvaro/sdk'
import { dataOf, restClient } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { addressArgument, commaList, parseWorkLocation } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'

interface Integration {
  readonly id: string
  readonly name: string
  readonly kinds: readonly string[]
  readonly createdAt: number
  readonly revokedAt?: number
  readonly lastUsedAt?: number
}

interface Issued {
  readonly token: string
  readonly integration: Integration
}

interface EventResult {
  readonly id: string
  readonly result: string
  readonly code?: string
  readonly message?: string
  readonly expiresAt?: number
}

interface SendOptions {
  readonly tokenEnv?: string
  readonly tokenFile?: string
  readonly person: string
  readonly type: string
  readonly state: string
  readonly key?: string
  readonly ttl?: string
  readonly id?: string
  readonly workLocation?: string
}

const oneOf = (option: string, value: string, allowed: readonly string[]): string => {
  if (!allowed.includes(value)) throw usageError(`${option} is one of ${allowed.join(', ')}`)
  return value
}

const kindsOf = (text: string): string[] => {
  const kinds = commaList(text)
  if (kinds.length === 0)
    throw usageError(`--kinds takes a comma-separated list of ${integrationKinds.join(', ')}`)
  for (const kind of kinds) oneOf('--kinds', kind, integrationKinds)
  return kinds
}

const showIssued = (runtime: CliRuntime, issued: Issued, json: boolean): void => {
  if (json) return printJson(runtime.io.stdout, issued)
  const { integration } = issued
  writeLine(
    runtime.io.stdout,
    `${integration.id} ${integration.name} (${integration.kinds.join(', ')})`,
  )
  writeLine(runtime.io.stdout, `  token: ${issued.token}`)
  writeLine(runtime.io.stderr, 'keep the token: it is shown only now')
}

/** The integration token: from `--token-env NAME` or `--token-file PATH`, never from argv. */
const tokenOf = (runtime: CliRuntime, options: SendOptions): string => {
  if ((options.tokenEnv === undefined) === (options.tokenFile === undefined)) {
    throw usageError('give the integration token with one of --token-env NAME or --token-file PATH')
  }
  let token: string | undefined
  if (options.tokenEnv !== undefined) {
    token = runtime.io.env[options.tokenEnv]
    if (!token) throw usageError(`--token-env ${options.tokenEnv}: the variable is not set`)
  } else {
    try {
      token = readFileSync(options.tokenFile!, 'utf8')
    } catch (error) {
      const code = (error as { code?: unknown }).code
      throw usageError(
        `--token-file ${options.tokenFile}: cannot read it (${String(code ?? error)})`,
      )
    }
  }
  return token.trim()
}

const eventOf = (options: SendOptions) => {
  const ttlSeconds = options.ttl === undefined ? undefined : Number(options.ttl)
  if (
    ttlSeconds !== undefined &&
    (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 86_400)
  ) {
    throw usageError('--ttl is a whole number of seconds from 1 to 86400')
  }
  return {
    id: options.id ?? randomUUID(),
    person: addressArgument(options.person, '--person'),
    type: oneOf('--type', options.type, integrationEventTypes),
    state: oneOf('--state', options.state, integrationEventStates),
    ...(options.key === undefined ? {} : { key: options.key }),
    at: Date.now(),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
    ...(options.workLocation === undefined
      ? {}
      : { workLocation: parseWorkLocation(options.workLocation, '--work-location') }),
  }
}

const registerSend = (integration: Command, runtime: CliRuntime): void => {
  integration
    .command('send')
    .description('post one event as an integration (for scripts and trying it out)')
    .option('--token-env <name>', 'the environment variable that holds the integration token')
    .option('--token-file <path>', 'a file that holds the integration token')
    .requiredOption('--person <address>', 'whose activity it is')
    .requiredOption('--type <type>', integrationEventTypes.join(', '))
    .requiredOption('--state <state>', integrationEventStates.join(', '))
    .option('--key <key>', 'tells apart several activities of one type (a call id)')
    .option('--ttl <seconds>', 'safety expiry from now (30 s … 4 h; default 300)')
    .option('--id <id>', 'the event id (default: a new random one)')
    .option(
      '--work-location <where>',
      'with --type work-location: office, office:SITE, remote, travelling',
    )
    .action(async (options: SendOptions, command: Command) => {
      const ctx = runtime.context(command)
      const event = eventOf(options)
      const client = restClient(ctx.server, tokenOf(runtime, options))
      const body = { events: [event] } as BodyOf<'/v1/integrations/events', 'post'>
      const answer = client.api.POST('/v1/integrations/events', { body })
      const reply = (await dataOf(answer)) as { results: EventResult[] }
      const result = reply.results[0]!
      if (ctx.json) return printJson(runtime.io.stdout, result)
      const until =
        result.expiresAt === undefined ? '' : `, refresh before ${formatWhen(result.expiresAt)}`
      const why = result.code === undefined ? '' : `: ${result.code} ${result.message ?? ''}`
      writeLine(runtime.io.stdout, `${event.id} ${result.result}${why}${until}`)
      if (result.result === 'rejected') runtime.exitCode = 1
    })
}

export const registerIntegrationCommand = (program: Command, runtime: CliRuntime): void => {
  const integration = program
    .command('integration')
    .description('integration sources: phone and conference systems that set activities')
  integration
    .command('create')
    .description('create an integration of your organization (admins; prints the token once)')
    .argument('<name>')
    .requiredOption(
      '--kinds <kinds>',
      `comma-separated source kinds: ${integrationKinds.join(', ')}`,
    )
    .action(async (name: string, options: { kinds: string }, command: Command) => {
      const ctx = runtime.context(command)
      const body = { name, kinds: kindsOf(options.kinds) } as BodyOf<'/v1/integrations', 'post'>
      const answer = ctx.client().api.POST('/v1/integrations', { body })
      showIssued(runtime, (await dataOf(answer)) as Issued, ctx.json)
    })
  integration
    .command('list')
    .description('the integrations of your organization (admins)')
    .action(async (_options: unknown, command: Command) => {
      const ctx = runtime.context(command)
      const list = (await dataOf(ctx.client().api.GET('/v1/integrations'))) as Integration[]
      if (ctx.json) return printJson(runtime.io.stdout, list)
      if (list.length === 0) return writeLine(runtime.io.stderr, 'no integrations')
      const now = Date.now()
      const rows = list.map((i) => [
        i.id,
        i.name,
        i.kinds.join(','),
        i.revokedAt === undefined ? 'active' : `revoked ${formatWhen(i.revokedAt, now)}`,
        i.lastUsedAt === undefined ? 'never' : formatWhen(i.lastUsedAt, now),
      ])
      printTable(runtime.io.stdout, ['ID', 'NAME', 'KINDS', 'STATE', 'LAST USED'], rows)
    })
  registerChanges(integration, runtime)
  registerSend(integration, runtime)
}

const registerChanges = (integration: Command, runtime: CliRuntime): void => {
  const byId = (id: string) => ({ params: { path: { id } } })
  integration
    .command('revoke')
    .description('revoke an integration: its token stops working and its activities end')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = runtime.context(command)
      await ctx.client().api.DELETE('/v1/integrations/{id}', byId(id))
      if (ctx.json) return printJson(runtime.io.stdout, { id, revoked: true })
      writeLine(runtime.io.stdout, `revoked integration ${id}`)
    })
  integration
    .command('rotate')
    .description('a new token; the old one stops working at once (prints the token once)')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = runtime.context(command)
      const answer = ctx.client().api.POST('/v1/integrations/{id}/rotate', byId(id))
      showIssued(runtime, (await dataOf(answer)) as Issued, ctx.json)
    })
}

// `narvaro token list|create|revoke`: my API tokens, for devices and scripts; a new token is shown
// once; CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { IssuedTokenSchema, TokenSchema } from '../../transports/rest/rest-schemas.js'
import { dataOf } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import { parseDurationSeconds } from '../shared/time-input.js'

type Token = Static<typeof TokenSchema>

/** The bounds of NewTokenBody.ttlSeconds. */
const ttlBounds = { min: 60, max: 31_622_400 }

const stateOf = (token: Token, now: number): string => {
  if (token.revokedAt !== undefined) return 'revoked'
  if (token.expiresAt !== undefined && token.expiresAt <= now) return 'expired'
  return 'active'
}

const list = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const tokens: Token[] = await context.client().tokens()
  if (context.json) return printJson(runtime.io.stdout, tokens)
  const now = Date.now()
  const current = context.saved?.tokenId
  const rows = tokens.map((t) => [
    t.id === current ? `${t.id} *` : t.id,
    t.name,
    stateOf(t, now),
    formatWhen(t.createdAt, now),
    t.lastUsedAt === undefined ? '-' : formatWhen(t.lastUsedAt, now),
    t.expiresAt === undefined ? 'never' : formatWhen(t.expiresAt, now),
  ])
  printTable(runtime.io.stdout, ['ID', 'NAME', 'STATE', 'CREATED', 'LAST USED', 'EXPIRES'], rows)
  if (current && tokens.some((t) => t.id === current))
    writeLine(runtime.io.stderr, '* this sign-in')
}

const create = async (
  runtime: CliRuntime,
  command: Command,
  input: { name: string; ttl?: string },
) => {
  const context = runtime.context(command)
  const ttlSeconds = input.ttl === undefined ? undefined : parseDurationSeconds(input.ttl, '--ttl')
  if (ttlSeconds !== undefined && (ttlSeconds < ttlBounds.min || ttlSeconds > ttlBounds.max)) {
    throw usageError(`--ttl ${input.ttl}: from 1m to 366d`)
  }
  const body = { name: input.name, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) }
  const issued: Static<typeof IssuedTokenSchema> = await dataOf(
    context.client().api.POST('/v1/auth/tokens', { body }),
  )
  if (context.json)
    return printJson(runtime.io.stdout, { token: issued.token, tokenInfo: issued.tokenInfo })
  const { tokenInfo } = issued
  const expires =
    tokenInfo.expiresAt === undefined
      ? 'never expires'
      : `expires ${formatWhen(tokenInfo.expiresAt)}`
  writeLine(runtime.io.stdout, `created token ${tokenInfo.id} "${tokenInfo.name}" (${expires})`)
  writeLine(runtime.io.stdout, `token: ${issued.token}`)
  writeLine(
    runtime.io.stdout,
    'This token is shown once and never again: store it now (NARVARO_TOKEN).',
  )
}

const revoke = async (runtime: CliRuntime, command: Command, id: string) => {
  const context = runtime.context(command)
  await context.client().revokeToken(id)
  if (context.json) return printJson(runtime.io.stdout, { id, revoked: true })
  writeLine(runtime.io.stdout, `revoked token ${id}`)
  if (id === context.saved?.tokenId)
    writeLine(runtime.io.stderr, 'that was this sign-in: run `narvaro login` again')
}

export const registerTokenCommand = (program: Command, runtime: CliRuntime): void => {
  const token = program.command('token').description('my API tokens, for devices and scripts')
  token
    .command('list')
    .description('list my tokens')
    .action((_options: unknown, command: Command) => list(runtime, command))
  token
    .command('create')
    .description('create a token; it is shown once')
    .argument('<name>', 'what it is for, such as "desk phone"')
    .option('--ttl <duration>', 'how long it lives, such as 30d (default: until revoked)')
    .action((name: string, options: { ttl?: string }, command: Command) =>
      create(runtime, command, { name, ...options }),
    )
  token
    .command('revoke')
    .description('revoke one of my tokens')
    .argument('<id>', 'the token id (see `narvaro token list`)')
    .action((id: string, _options: unknown, command: Command) => revoke(runtime, command, id))
}

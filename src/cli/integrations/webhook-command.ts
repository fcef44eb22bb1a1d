// `narvaro webhook create|list|show|rotate|enable|disable|deliveries|delete`: webhook endpoints that
// receive presence changes (as you see them) and your workflow events, and their delivery log; CLI layer.
import type { Command } from 'commander'
import type { BodyOf } from '@narvaro/sdk'
import { dataOf, type CliContext } from '../shared/cli-context.js'
import { usageError } from '../shared/cli-error.js'
import { addressArgument } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { withContext } from '../shared/cli-runtime.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'

interface Webhook {
  readonly id: string
  readonly url: string
  readonly addresses: readonly string[]
  readonly events: readonly string[]
  readonly enabled: boolean
  readonly disabledReason?: string
  readonly failureCount: number
  readonly previousSecretExpiresAt?: number
  readonly secret?: string
}

interface Delivery {
  readonly messageId: string
  readonly eventType: string
  readonly attempt: number
  readonly statusCode?: number
  readonly error?: string
  readonly durationMs: number
  readonly at: number
}

const eventTypes = ['presence', 'available', 'gathering']

const listOf = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

const eventsOf = (text: string): string[] => {
  const events = listOf(text)
  const unknown = events.filter((e) => !eventTypes.includes(e))
  if (events.length === 0 || unknown.length > 0) {
    throw usageError(`--events takes a comma-separated list of ${eventTypes.join(', ')}`)
  }
  return events
}

const stateOf = (w: Webhook): string =>
  w.enabled ? 'enabled' : `disabled: ${w.disabledReason ?? ''}`

const show = (runtime: CliRuntime, w: Webhook, json: boolean): void => {
  const out = runtime.io.stdout
  if (json) return printJson(out, w)
  writeLine(out, `${w.id} ${w.url}`)
  writeLine(out, `  state:     ${stateOf(w)}`)
  writeLine(out, `  events:    ${w.events.join(', ')}`)
  writeLine(out, `  addresses: ${w.addresses.join(', ') || '(none)'}`)
  writeLine(out, `  failures:  ${w.failureCount}`)
  if (w.previousSecretExpiresAt !== undefined) {
    writeLine(
      out,
      `  the previous secret also signs until ${formatWhen(w.previousSecretExpiresAt, Date.now())}`,
    )
  }
  if (w.secret !== undefined) {
    writeLine(out, `  secret:    ${w.secret}`)
    writeLine(runtime.io.stderr, 'keep the secret: it is shown only now')
  }
}

const byId = (id: string) => ({ params: { path: { id } } })

export const registerWebhookCommand = (program: Command, runtime: CliRuntime): void => {
  const webhook = program
    .command('webhook')
    .description('webhook endpoints: presence changes and workflow events over HTTP')
  registerCreateAndListCommands(webhook, runtime)
  registerEndpointCommands(webhook, runtime)
  registerDeliveriesCommand(webhook, runtime)
  registerDeleteCommand(webhook, runtime)
}

/** `webhook create` and `webhook list`. */
const registerCreateAndListCommands = (webhook: Command, runtime: CliRuntime): void => {
  webhook
    .command('create')
    .description('subscribe an HTTP endpoint (prints the secret once)')
    .argument('<url>', 'the http: or https: URL that receives POSTs')
    .option('--addresses <addresses>', 'comma-separated addresses to watch (as you)', '')
    .option('--events <events>', 'comma-separated: presence, available, gathering', 'presence')
    .action(
      withContext(
        runtime,
        async (ctx, url: string, options: { addresses: string; events: string }) => {
          const body = {
            url,
            addresses: listOf(options.addresses).map((a) => addressArgument(a)),
            events: eventsOf(options.events),
          }
          const answer = ctx.client().api.POST('/v1/webhooks', {
            body: body as BodyOf<'/v1/webhooks', 'post'>,
          })
          show(runtime, (await dataOf(answer)) as Webhook, ctx.json)
        },
      ),
    )
  webhook
    .command('list')
    .description('my webhook endpoints')
    .action(
      withContext(runtime, async (ctx, _options: unknown) => {
        const hooks = (await dataOf(ctx.client().api.GET('/v1/webhooks'))) as Webhook[]
        if (ctx.json) return printJson(runtime.io.stdout, hooks)
        if (hooks.length === 0) return writeLine(runtime.io.stderr, 'no webhooks')
        printTable(
          runtime.io.stdout,
          ['ID', 'URL', 'EVENTS', 'STATE'],
          hooks.map((w) => [w.id, w.url, w.events.join(','), stateOf(w)]),
        )
      }),
    )
}

/** Shows the endpoint an answer of the API carries. */
const showAnswer = async (
  runtime: CliRuntime,
  ctx: CliContext,
  answer: Promise<{ readonly data?: unknown }>,
) => show(runtime, (await dataOf(answer)) as Webhook, ctx.json)

/** `webhook show`, `rotate`, `enable` and `disable`: one endpoint. */
const registerEndpointCommands = (webhook: Command, runtime: CliRuntime): void => {
  webhook
    .command('show')
    .description('one endpoint, with why it is disabled')
    .argument('<id>')
    .action(
      withContext(runtime, async (ctx, id: string) =>
        showAnswer(runtime, ctx, ctx.client().api.GET('/v1/webhooks/{id}', byId(id))),
      ),
    )
  webhook
    .command('rotate')
    .description('a new secret (the previous one also signs for 24 hours)')
    .argument('<id>')
    .action(
      withContext(runtime, async (ctx, id: string) =>
        showAnswer(
          runtime,
          ctx,
          ctx.client().api.POST('/v1/webhooks/{id}/rotate-secret', byId(id)),
        ),
      ),
    )
  for (const enabled of [true, false]) {
    webhook
      .command(enabled ? 'enable' : 'disable')
      .description(enabled ? 'enable again (resets the failure count)' : 'stop deliveries')
      .argument('<id>')
      .action(
        withContext(runtime, async (ctx, id: string) =>
          showAnswer(
            runtime,
            ctx,
            ctx.client().api.PATCH('/v1/webhooks/{id}', { ...byId(id), body: { enabled } }),
          ),
        ),
      )
  }
}

/** `webhook deliveries`: the delivery log. */
const registerDeliveriesCommand = (webhook: Command, runtime: CliRuntime): void => {
  webhook
    .command('deliveries')
    .description('the latest delivery attempts, newest first')
    .argument('<id>')
    .option('--limit <n>', 'how many', '20')
    .action(
      withContext(runtime, async (ctx, id: string, options: { limit: string }) => {
        const limit = Number(options.limit)
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
          throw usageError('--limit is a whole number from 1 to 1000')
        const params = { path: { id }, query: { limit } }
        const answer = ctx.client().api.GET('/v1/webhooks/{id}/deliveries', { params })
        const log = (await dataOf(answer)) as Delivery[]
        if (ctx.json) return printJson(runtime.io.stdout, log)
        if (log.length === 0) return writeLine(runtime.io.stderr, 'no deliveries yet')
        const now = Date.now()
        const rows = log.map((d) => [
          formatWhen(d.at, now),
          d.eventType,
          d.messageId,
          String(d.attempt),
          d.statusCode === undefined ? (d.error ?? '') : String(d.statusCode),
          `${d.durationMs} ms`,
        ])
        printTable(runtime.io.stdout, ['AT', 'EVENT', 'MESSAGE', 'ATTEMPT', 'RESULT', 'TIME'], rows)
      }),
    )
}

/** `webhook delete`. */
const registerDeleteCommand = (webhook: Command, runtime: CliRuntime): void => {
  webhook
    .command('delete')
    .description('delete an endpoint and its delivery log')
    .argument('<id>')
    .action(
      withContext(runtime, async (ctx, id: string) => {
        await ctx.client().api.DELETE('/v1/webhooks/{id}', byId(id))
        if (ctx.json) return printJson(runtime.io.stdout, { id, deleted: true })
        writeLine(runtime.io.stdout, `deleted webhook ${id}`)
      }),
    )
}

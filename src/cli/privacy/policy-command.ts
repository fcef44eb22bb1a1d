// `narvaro policy show|set` (the organization's default rules and ceilings) and `narvaro audit`
// (policy, rule and subscription changes; admins); CLI layer.
import type { Command } from 'commander'
import type { AuditOptions } from './audit-query.js'
import { auditQuery } from './audit-query.js'
import type { BodyOf } from '@narvaro/sdk'
import { dataOf } from '../shared/cli-context.js'
import { readJsonDocument } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { organizationPolicyValidator } from '../shared/cli-schemas.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import type { OrganizationPolicy } from './privacy-api.js'
import { groupNamesOf, loadPolicy } from './privacy-api.js'
import type { AuditEvent } from './privacy-format.js'
import { auditWhat, grantText, ruleHeaders, ruleRows } from './privacy-format.js'

const show = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const client = context.client()
  const policy = await loadPolicy(client)
  if (context.json) return printJson(runtime.io.stdout, policy)
  const { stdout } = runtime.io
  writeLine(stdout, 'default rules (of everyone who has set no rules of their own):')
  const groups = await groupNamesOf(client, policy.defaultRules)
  if (policy.defaultRules.length === 0) writeLine(stdout, '  none: nobody may watch them')
  else printTable(stdout, ruleHeaders, ruleRows(policy.defaultRules, groups))
  writeLine(stdout, 'ceilings (the most any rule can grant):')
  const ceilings = [
    ['colleagues', policy.colleagueCeiling],
    ['everyone else', policy.externalCeiling],
  ] as const
  const rows = ceilings.map(([who, c]) => [who, c.subscription, grantText(c.grant)])
  printTable(stdout, ['WATCHERS', 'HANDLING', 'GRANTS'], rows)
  const offWork = policy.offWorkOutsideHours ? 'yes (unless a person opts in)' : 'no'
  writeLine(stdout, `colleagues see only "off work" outside working hours: ${offWork}`)
}

const set = async (runtime: CliRuntime, command: Command, file: string) => {
  const policy = await readJsonDocument<OrganizationPolicy>(
    file,
    runtime.io.stdin,
    organizationPolicyValidator,
  )
  const context = runtime.context(command)
  const body = policy as BodyOf<'/v1/organization/policy', 'put'>
  const api = context.client().api
  const reply = (await dataOf(api.PUT('/v1/organization/policy', { body }))) as OrganizationPolicy
  if (context.json) return printJson(runtime.io.stdout, reply)
  const count = reply.defaultRules.length
  writeLine(
    runtime.io.stdout,
    `organization policy replaced (${count} default rules); in force now`,
  )
}

const audit = async (runtime: CliRuntime, command: Command, options: AuditOptions) => {
  const context = runtime.context(command)
  const query = auditQuery(options)
  const events = (await dataOf(
    context.client().api.GET('/v1/organization/audit', { params: { query } }),
  )) as AuditEvent[]
  if (context.json) return printJson(runtime.io.stdout, events)
  if (events.length === 0) return writeLine(runtime.io.stderr, 'no changes recorded')
  const now = Date.now()
  const rows = events.map((e) => [
    formatWhen(e.at, now),
    e.kind,
    e.actorAddress,
    e.subjectAddress ?? '',
    auditWhat(e),
  ])
  printTable(runtime.io.stdout, ['WHEN', 'KIND', 'BY', 'ABOUT', 'WHAT'], rows)
}

export const registerPolicyCommands = (program: Command, runtime: CliRuntime): void => {
  const policy = program
    .command('policy')
    .description("the organization's policy: default rules and ceilings (docs/privacy.md)")
  policy
    .command('show')
    .description('the default rules, the ceilings and the off-work setting')
    .action((_options: unknown, command: Command) => show(runtime, command))
  policy
    .command('set')
    .description('replace the whole policy with a JSON document (admin; in force at once)')
    .requiredOption('--file <path>', 'the JSON file; - reads standard input')
    .action((options: { file: string }, command: Command) => set(runtime, command, options.file))
  program
    .command('audit')
    .description('policy, rule and subscription changes of the organization, newest first (admin)')
    .option('--since <time>', 'only since TIME (ISO date-time, HH:MM, or 2h, 7d ago)')
    .option('--limit <n>', 'at most this many (1-1000)')
    .action((options: AuditOptions, command: Command) => audit(runtime, command, options))
}

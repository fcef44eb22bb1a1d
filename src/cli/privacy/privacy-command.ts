// `narvaro privacy show|set|preview|disclosures`: my rules and settings as the server holds them,
// what a watcher sees of me, and who received what (edits: privacy-edit-command); CLI layer.
import type { Command } from 'commander'
import type { Static } from 'typebox'
import type { PreviewReply } from '../../transports/rest/privacy-schemas.js'
import { dataOf } from '../shared/cli-context.js'
import { addressArgument, readJsonDocument } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { personalSettingsValidator } from '../shared/cli-schemas.js'
import { formatWhen, printJson, printTable, writeLine } from '../shared/output.js'
import { registerPrivacyEdits } from './privacy-edit-command.js'
import { groupNamesOf, loadPrivacy, savePrivacy } from './privacy-api.js'
import type { AuditEvent } from './privacy-format.js'
import { auditWhat, describePermissions, ruleHeaders, ruleRows } from './privacy-format.js'
import type { PersonalSettings } from './privacy-rules.js'
import { describeView } from '../shared/presence-format.js'
import { auditQuery } from './audit-query.js'
import type { AuditOptions } from './audit-query.js'

const show = async (runtime: CliRuntime, command: Command) => {
  const context = runtime.context(command)
  const client = context.client()
  const privacy = await loadPrivacy(client)
  if (context.json) return printJson(runtime.io.stdout, privacy)
  const { stdout } = runtime.io
  const whose = privacy.usingDefaultRules
    ? "the organization's default rules (you have set none of your own)"
    : `your own rules (${privacy.rules.length})`
  writeLine(stdout, `rules in force: ${whose}`)
  if (privacy.rules.length === 0) writeLine(stdout, '  none: nobody may watch you')
  else
    printTable(
      stdout,
      ruleHeaders,
      ruleRows(privacy.rules, await groupNamesOf(client, privacy.rules)),
    )
  const offline = privacy.settings.appearOfflineTo ?? []
  writeLine(stdout, `appear offline to: ${offline.length > 0 ? offline.join(', ') : 'nobody'}`)
  const outside = privacy.settings.shareOutsideWorkingHours === true ? 'yes' : 'no'
  writeLine(stdout, `share outside working hours: ${outside}`)
}

const set = async (runtime: CliRuntime, command: Command, file: string) => {
  const settings = await readJsonDocument<PersonalSettings>(
    file,
    runtime.io.stdin,
    personalSettingsValidator,
  )
  const context = runtime.context(command)
  const reply = await savePrivacy(context.client(), settings)
  if (context.json) return printJson(runtime.io.stdout, reply)
  const rules = reply.settings.rules
  const whose = rules === undefined ? "the organization's default rules" : `${rules.length} rules`
  writeLine(runtime.io.stdout, `privacy settings replaced: ${whose} in force`)
}

const preview = async (runtime: CliRuntime, command: Command, rawWatcher: string) => {
  const watcher = addressArgument(rawWatcher, 'WATCHER')
  const context = runtime.context(command)
  const reply = (await context.client().preview({ watcher })) as Static<typeof PreviewReply>
  if (context.json) return printJson(runtime.io.stdout, reply)
  const { stdout } = runtime.io
  // The preview computes a view even for `block`, but a blocked watcher never receives one
  if (reply.permissions.subscription === 'block') {
    writeLine(stdout, `${watcher} sees nothing: asking to watch you gets NRV_NOT_FOUND,`)
    writeLine(stdout, 'the same answer as for an address that does not exist')
  } else {
    writeLine(stdout, `${watcher} sees now:`)
    writeLine(stdout, describeView(reply.view))
  }
  writeLine(stdout, 'because of these permissions:')
  writeLine(stdout, describePermissions(reply.permissions))
}

const disclosures = async (runtime: CliRuntime, command: Command, options: AuditOptions) => {
  const context = runtime.context(command)
  const query = auditQuery(options)
  const events = (await dataOf(
    context.client().api.GET('/v1/me/disclosures', { params: { query } }),
  )) as AuditEvent[]
  if (context.json) return printJson(runtime.io.stdout, events)
  if (events.length === 0) return writeLine(runtime.io.stderr, 'nothing was disclosed')
  const now = Date.now()
  const rows = events.map((e) => [formatWhen(e.at, now), e.actorAddress, auditWhat(e)])
  printTable(runtime.io.stdout, ['WHEN', 'WATCHER', 'DETAILS'], rows)
}

export const registerPrivacyCommand = (program: Command, runtime: CliRuntime): void => {
  const privacy = program
    .command('privacy')
    .description('who may watch me and what they see (docs/privacy.md)')
  privacy
    .command('show')
    .description('the rules in force (mine or the organization defaults) and my settings')
    .action((_options: unknown, command: Command) => show(runtime, command))
  privacy
    .command('set')
    .description('replace my rules and settings with a JSON document (PUT /v1/me/privacy)')
    .requiredOption('--file <path>', 'the JSON file; - reads standard input')
    .action((options: { file: string }, command: Command) => set(runtime, command, options.file))
  privacy
    .command('preview')
    .description('what WATCHER sees of me now, and the permissions that decide it')
    .argument('<watcher>', "the watcher's address")
    .action((watcher: string, _options: unknown, command: Command) =>
      preview(runtime, command, watcher),
    )
  privacy
    .command('disclosures')
    .description('who received which of my contact methods and locations, newest first')
    .option('--since <time>', 'only since TIME (ISO date-time, HH:MM, or 2h, 7d ago)')
    .option('--limit <n>', 'at most this many (1-1000)')
    .action((options: AuditOptions, command: Command) => disclosures(runtime, command, options))
  registerPrivacyEdits(privacy, runtime)
}

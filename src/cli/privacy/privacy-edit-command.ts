// `narvaro privacy allow|remove|appear-offline|share-outside-hours`: convenience edits of my rules
// and settings (read, change, replace with PUT /v1/me/privacy); CLI layer.
import type { Command } from 'commander'
import { isValidDomain } from '../../core/model/address.js'
import type { NarvaroClient } from '@narvaro/sdk'
import { apiError, usageError } from '../shared/cli-error.js'
import { addressArgument } from '../shared/cli-input.js'
import type { TextSink } from '../shared/cli-io.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, writeLine } from '../shared/output.js'
import type { Privacy, PrivacyInForce } from './privacy-api.js'
import { listGroups, loadPrivacy, savePrivacy } from './privacy-api.js'
import { grantText } from './privacy-format.js'
import type { Rule, RuleTarget } from './privacy-rules.js'
import {
  addressTarget,
  domainTarget,
  freeRuleId,
  groupTarget,
  organizationTarget,
  parseSee,
  sameRule,
  seeWords,
  withRules,
} from './privacy-rules.js'

interface AllowOptions {
  readonly domain?: string
  readonly group?: string
  readonly org?: boolean
  readonly see?: string
  readonly confirm?: boolean
  readonly politeBlock?: boolean
}

const targetOf = async (
  client: () => NarvaroClient,
  address: string | undefined,
  options: AllowOptions,
): Promise<RuleTarget> => {
  const given = [address, options.domain, options.group, options.org].filter((x) => x !== undefined)
  if (given.length !== 1) throw usageError('give exactly one of ADDRESS, --domain, --group, --org')
  if (address !== undefined) return addressTarget(addressArgument(address))
  if (options.domain !== undefined) {
    if (!isValidDomain(options.domain)) throw usageError(`--domain ${options.domain}: not a domain`)
    return domainTarget(options.domain)
  }
  if (options.org) return organizationTarget
  const groups = await listGroups(client())
  const group = groups.find((g) => g.id === options.group || g.name === options.group)
  if (!group) throw apiError('NRV_NOT_FOUND', `no group ${JSON.stringify(options.group)}`)
  return groupTarget(group)
}

/** A first edit turns the organization's default rules into my own: say so. */
const noteCopiedDefaults = (stderr: TextSink, privacy: PrivacyInForce): void => {
  if (!privacy.usingDefaultRules) return
  const ids = privacy.rules.map((rule) => rule.id).join(', ') || 'none'
  writeLine(stderr, `note: your rules start from a copy of the organization's defaults (${ids});`)
  writeLine(stderr, 'they no longer follow changes the admin makes to the defaults.')
}

const allow = async (
  runtime: CliRuntime,
  command: Command,
  input: AllowOptions & { address?: string },
) => {
  if (input.confirm && input.politeBlock)
    throw usageError('give either --confirm or --polite-block')
  const grant = parseSee(input.see)
  const subscription = input.confirm ? 'confirm' : input.politeBlock ? 'polite-block' : 'allow'
  const context = runtime.context(command)
  const client = context.client()
  const target = await targetOf(() => client, input.address, input)
  const privacy = await loadPrivacy(client)
  const wanted = { conditions: target.conditions, subscription, grant } as const
  const existing = sameRule(privacy.rules, wanted)
  if (existing) {
    if (context.json) return printJson(runtime.io.stdout, privacy)
    return writeLine(runtime.io.stdout, `already in force: rule ${existing.id}`)
  }
  const rule: Rule = { id: freeRuleId(target.stem, privacy.rules), ...wanted }
  const reply = await savePrivacy(client, withRules(privacy.settings, [...privacy.rules, rule]))
  if (context.json) return printJson(runtime.io.stdout, reply)
  const sees = grantText(grant)
  writeLine(
    runtime.io.stdout,
    `added rule ${rule.id}: ${target.label} (${subscription}) sees ${sees}`,
  )
  noteCopiedDefaults(runtime.io.stderr, privacy)
}

const remove = async (runtime: CliRuntime, command: Command, id: string) => {
  const context = runtime.context(command)
  const client = context.client()
  const privacy = await loadPrivacy(client)
  if (!privacy.rules.some((rule) => rule.id === id)) {
    const ids = privacy.rules.map((rule) => rule.id).join(', ') || 'none'
    throw apiError('NRV_NOT_FOUND', `no rule ${id} in force (rules: ${ids})`)
  }
  const rules = privacy.rules.filter((rule) => rule.id !== id)
  const reply = await savePrivacy(client, withRules(privacy.settings, rules))
  if (context.json) return printJson(runtime.io.stdout, reply)
  writeLine(runtime.io.stdout, `removed rule ${id}`)
  noteCopiedDefaults(runtime.io.stderr, privacy)
  if (rules.length === 0) {
    writeLine(runtime.io.stderr, 'warning: you have no rules left, so nobody may watch you;')
    writeLine(
      runtime.io.stderr,
      "a `narvaro privacy set` document without `rules` brings back the organization's defaults.",
    )
  }
}

/** Changes settings other than rules: my rules (or the defaults) stay as they are. */
const editSettings = async (
  runtime: CliRuntime,
  command: Command,
  change: (settings: Privacy['settings']) => Privacy['settings'] | undefined,
): Promise<Privacy | undefined> => {
  const context = runtime.context(command)
  const client = context.client()
  const { settings } = (await client.privacyRules()) as Privacy
  const next = change(settings)
  const reply =
    next === undefined
      ? { settings, usingDefaultRules: settings.rules === undefined }
      : await savePrivacy(client, next)
  if (context.json) {
    printJson(runtime.io.stdout, reply)
    return undefined
  }
  return reply
}

const appearOffline = async (
  runtime: CliRuntime,
  command: Command,
  input: { addresses: string[]; clear?: boolean },
) => {
  const given = input.addresses.map((a) => addressArgument(a))
  if (input.clear && given.length === 0) throw usageError('--clear: give the addresses to clear')
  const reply = await editSettings(runtime, command, (settings) => {
    if (given.length === 0) return undefined
    const list = settings.appearOfflineTo ?? []
    const appearOfflineTo = input.clear
      ? list.filter((a) => !given.includes(a))
      : [...new Set([...list, ...given])]
    return { ...settings, appearOfflineTo }
  })
  if (!reply) return
  const list = reply.settings.appearOfflineTo ?? []
  writeLine(
    runtime.io.stdout,
    `you appear offline to: ${list.length > 0 ? list.join(', ') : 'nobody'}`,
  )
}

const shareOutsideHours = async (runtime: CliRuntime, command: Command, value: string) => {
  if (value !== 'on' && value !== 'off') throw usageError('share-outside-hours: give on or off')
  const reply = await editSettings(runtime, command, (settings) => ({
    ...settings,
    shareOutsideWorkingHours: value === 'on',
  }))
  if (!reply) return
  const sees = value === 'on' ? 'what your rules grant' : '"off work" (if the organization says so)'
  writeLine(runtime.io.stdout, `outside your working hours colleagues see ${sees}`)
}

export const registerPrivacyEdits = (privacy: Command, runtime: CliRuntime): void => {
  privacy
    .command('allow')
    .description(
      'add a rule: who may watch me (ADDRESS, --domain, --group or --org) and what they see',
    )
    .argument('[address]', "a watcher's address")
    .option('--domain <domain>', 'everyone whose address is in this domain')
    .option('--group <group>', 'the members of this group (name or id)')
    .option('--org', 'everyone in my organization')
    .option('--see <list>', `what they see besides availability: ${seeWords.join(',')}`)
    .option('--confirm', 'they need my approval first (`narvaro watchers approve`)')
    .option('--polite-block', 'they are told they watch me, and see me offline forever')
    .action((address: string | undefined, options: AllowOptions, command: Command) =>
      allow(runtime, command, { ...options, ...(address === undefined ? {} : { address }) }),
    )
  privacy
    .command('remove')
    .description('remove one of the rules in force (`privacy show` lists their ids)')
    .argument('<rule-id>', 'the id of the rule')
    .action((id: string, _options: unknown, command: Command) => remove(runtime, command, id))
  privacy
    .command('appear-offline')
    .description('appear offline to these watchers whatever my rules grant (no ADDRESS: list them)')
    .argument('[address...]', 'watchers')
    .option('--clear', 'no longer appear offline to these watchers')
    .action((addresses: string[], options: { clear?: boolean }, command: Command) =>
      appearOffline(runtime, command, { addresses, ...options }),
    )
  privacy
    .command('share-outside-hours')
    .description('whether colleagues see more than "off work" outside my working hours')
    .argument('<on|off>', 'on or off')
    .action((value: string, _options: unknown, command: Command) =>
      shareOutsideHours(runtime, command, value),
    )
}

// A block list (XEP-0191, "block this address") expressed in the owner's own rules, so that there
// is one policy and the web app, REST and every gateway show the same thing: blocked addresses are
// one `block` rule (id `blocked`) and in the `except` list of every other rule, since under RFC 5025
// the most permissive matching rule wins and a block rule alone would not hold; core layer, pure.
import type { PersonalRule, PersonalSettings } from './policy-model.js'

export const blockRuleId = 'blocked'

/** The addresses the owner blocks: those of the `blocked` rule. */
export const blockedAddresses = (rules: readonly PersonalRule[]): readonly string[] =>
  rules.find((rule) => rule.id === blockRuleId)?.conditions.addresses ?? []

const withExcept = (rule: PersonalRule, except: readonly string[]): PersonalRule => {
  const { except: _old, ...conditions } = rule.conditions
  return { ...rule, conditions: except.length > 0 ? { ...conditions, except } : conditions }
}

/**
 * The owner's settings with exactly `blocked` blocked: the block rule lists them (or is gone when
 * none are), and every other rule excepts them, keeping the excepts it had of its own. `rules` are
 * the rules in force (the organization's defaults when the owner has none: they become the owner's).
 */
const withBlocked = (
  settings: PersonalSettings,
  rulesInForce: readonly PersonalRule[],
  blocked: readonly string[],
): PersonalSettings => {
  const previous = new Set(blockedAddresses(rulesInForce))
  const others = rulesInForce
    .filter((rule) => rule.id !== blockRuleId)
    .map((rule) => {
      const own = (rule.conditions.except ?? []).filter((address) => !previous.has(address))
      return withExcept(rule, [...new Set([...own, ...blocked])])
    })
  const blockRule: PersonalRule = {
    id: blockRuleId,
    conditions: { addresses: blocked },
    subscription: 'block',
    grant: {},
  }
  return { ...settings, rules: blocked.length > 0 ? [...others, blockRule] : others }
}

export const block = (
  settings: PersonalSettings,
  rulesInForce: readonly PersonalRule[],
  addresses: readonly string[],
): PersonalSettings =>
  withBlocked(settings, rulesInForce, [
    ...new Set([...blockedAddresses(rulesInForce), ...addresses]),
  ])

/** Unblocks `addresses`, or everyone when none are given (XEP-0191 §3.4). */
export const unblock = (
  settings: PersonalSettings,
  rulesInForce: readonly PersonalRule[],
  addresses?: readonly string[],
): PersonalSettings => {
  const removing = new Set(addresses ?? blockedAddresses(rulesInForce))
  const kept = blockedAddresses(rulesInForce).filter((address) => !removing.has(address))
  return withBlocked(settings, rulesInForce, kept)
}

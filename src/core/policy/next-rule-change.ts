// When the rules that apply to a presentity's watchers next change with time alone: the earliest
// `validFrom` or `validUntil` after `now`; core layer, pure.
import type { PersonalRule } from './policy-model.js'

export const nextRuleChange = (rules: readonly PersonalRule[], now: number): number | undefined => {
  let next: number | undefined
  for (const { conditions } of rules) {
    for (const at of [conditions.validFrom, conditions.validUntil]) {
      if (at !== undefined && at > now && (next === undefined || at < next)) next = at
    }
  }
  return next
}

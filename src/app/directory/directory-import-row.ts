// Checks one row of a directory import and turns it into an `ImportedPerson`, reporting every field
// that is wrong (not only the first); app layer, pure.
import { parseAddress } from '../../core/model/address.js'
import { isValidTimeZone, parseClock } from '../../core/model/hours.js'
import { parseWeeklyHours } from '../../core/model/weekly-hours-text.js'
import type { HoursSpan, WeeklyHours } from '../../core/model/presence-model.js'
import { weekdays } from '../../core/model/presence-model.js'
import type { ImportedPerson } from '../../ports/directory-store.js'
import { tagPattern } from '../../ports/directory-store.js'
import type { ImportField, ImportProblem, ImportProblemCode, RawRow } from './directory-import.js'

export const maxTags = 50
export const maxTeams = 50
export const maxTitleLength = 200
export const maxDisplayNameLength = 200
export const maxTeamNameLength = 100

/** A field's value, or the problem with it. */
type Checked<T> =
  { readonly value: T } | { readonly code: ImportProblemCode; readonly message: string }

const fail = (code: ImportProblemCode, message: string): Checked<never> => ({ code, message })

/** A tag as stored (lower case), or undefined when it cannot be one. */
export const normalizeTag = (raw: string): string | undefined => {
  const tag = raw.trim().toLowerCase()
  return tagPattern.test(tag) ? tag : undefined
}

const text = (value: unknown, max: number): Checked<string> => {
  if (typeof value !== 'string') return fail('invalid-type', 'must be text')
  const trimmed = value.trim()
  if (trimmed.length > max) return fail('too-long', `at most ${max} characters`)
  return { value: trimmed }
}

/** A list: a JSON array of strings, or text separated by `separator`. */
const list = (value: unknown, separator: RegExp): Checked<string[]> => {
  if (typeof value === 'string') {
    return {
      value: value
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    }
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return { value: value.map((item: string) => item.trim()).filter((item) => item !== '') }
  }
  return fail('invalid-type', 'must be a list of text')
}

const tags = (value: unknown): Checked<string[]> => {
  const items = list(value, /[;,]/)
  if (!('value' in items)) return items
  if (items.value.length > maxTags) return fail('too-many', `at most ${maxTags} tags`)
  const bad = items.value.filter((tag) => normalizeTag(tag) === undefined)
  if (bad.length > 0) {
    return fail('invalid-tag', `not a tag: ${bad.join(', ')} (letters, digits, . _ -; at most 48)`)
  }
  return { value: [...new Set(items.value.map((tag) => normalizeTag(tag)!))] }
}

const teams = (value: unknown): Checked<string[]> => {
  const items = list(value, /;/)
  if (!('value' in items)) return items
  if (items.value.length > maxTeams) return fail('too-many', `at most ${maxTeams} teams`)
  const long = items.value.filter((team) => team.length > maxTeamNameLength)
  if (long.length > 0)
    return fail('invalid-team', `a team name has at most ${maxTeamNameLength} characters`)
  return { value: [...new Set(items.value)] }
}

const timeZone = (value: unknown): Checked<string> => {
  if (typeof value !== 'string') return fail('invalid-type', 'must be text')
  const zone = value.trim()
  return isValidTimeZone(zone)
    ? { value: zone }
    : fail('unknown-time-zone', `unknown time zone "${zone}"`)
}

const isSpan = (value: unknown): value is HoursSpan => {
  if (typeof value !== 'object' || value === null) return false
  const { days, start, end, ...rest } = value as Record<string, unknown>
  const validDays =
    Array.isArray(days) &&
    days.length > 0 &&
    new Set(days).size === days.length &&
    days.every((day) => (weekdays as readonly unknown[]).includes(day))
  const clocks = [start, end].every((c) => typeof c === 'string' && parseClock(c) !== undefined)
  return validDays && clocks && Object.keys(rest).length === 0
}

const workingHours = (value: unknown): Checked<WeeklyHours> => {
  let spans: unknown = value
  if (typeof value === 'string') {
    try {
      spans = value.trim().startsWith('[')
        ? (JSON.parse(value) as unknown)
        : parseWeeklyHours(value)
    } catch {
      spans = undefined
    }
  }
  if (Array.isArray(spans) && spans.length <= 21 && spans.every(isSpan)) return { value: spans }
  return fail(
    'invalid-working-hours',
    'give spans such as "mon-fri 08:00-17:00; sat 10:00-14:00" or the JSON of the profile API',
  )
}

const address = (value: unknown, domain: string): Checked<string> => {
  if (typeof value !== 'string') return fail('invalid-type', 'must be text')
  const raw = value.trim()
  const parsed = parseAddress(raw.includes('@') ? raw : `${raw}@${domain}`)
  if (!parsed) return fail('invalid-address', `not a valid address: "${raw.slice(0, 100)}"`)
  if (parsed.domain !== domain) return fail('other-organization', `not an address @${domain}`)
  return { value: parsed.address }
}

const checkers = {
  displayName: (value: unknown) => text(value, maxDisplayNameLength),
  title: (value: unknown) => text(value, maxTitleLength),
  tags,
  teams,
  timeZone,
  workingHours,
} satisfies Record<Exclude<ImportField, 'address'>, (value: unknown) => Checked<unknown>>

/** The person of a row in the organization of `domain`, or every problem of the row. */
export const checkImportRow = (
  raw: RawRow,
  domain: string,
): { readonly person: ImportedPerson } | { readonly problems: readonly ImportProblem[] } => {
  const at = { row: raw.row, ...(raw.line === undefined ? {} : { line: raw.line }) }
  const problems: ImportProblem[] = []
  const person: Record<string, unknown> = {}
  const found =
    raw.values.address === undefined
      ? fail('required', 'every row needs an address')
      : address(raw.values.address, domain)
  if ('value' in found) person['address'] = found.value
  else problems.push({ ...at, field: 'address', ...found })
  for (const [field, check] of Object.entries(checkers)) {
    const value = raw.values[field as ImportField]
    if (value === undefined) continue
    const checked: Checked<unknown> = check(value)
    if (!('value' in checked)) problems.push({ ...at, field, ...checked })
    else if (checked.value !== '') person[field] = checked.value
  }
  return problems.length > 0 ? { problems } : { person: person as unknown as ImportedPerson }
}

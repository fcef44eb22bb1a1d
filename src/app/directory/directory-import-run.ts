// Runs a checked directory import: reports every bad row, writes the good ones in one transaction
// (unless it is a dry run) and brings the in-memory profiles and group memberships up to date; app
// layer.
import { NarvaroError } from '../../core/errors.js'
import type { ImportedPerson } from '../../ports/directory-store.js'
import type { User } from '../../ports/store.js'
import { noPasswordHash } from '../shared/index.js'
import type { ImportProblem, ParsedImport } from './directory-import.js'
import { checkImportRow } from './directory-import-row.js'
import type { DirectoryServiceDeps } from './directory-deps.js'

export interface ImportReport {
  readonly dryRun: boolean
  /** Data rows read. */
  readonly rows: number
  /** Rows without problems: those written (or that a real run would write). */
  readonly valid: number
  /** Every problem of every row, by row. */
  readonly problems: readonly ImportProblem[]
  /** Whether anything was written: never for a dry run or a file that could not be read. */
  readonly written: boolean
  /** People created (or that a real run would create). */
  readonly created: number
  /** Existing users updated (or that a real run would update). */
  readonly updated: number
  /** Teams created (or that a real run would create), by name. */
  readonly teamsCreated: readonly string[]
}

/** Checks every row; a repeated address is a problem of the later row. */
const checkRows = (
  parsed: ParsedImport,
  domain: string,
): { people: ImportedPerson[]; problems: ImportProblem[] } => {
  const people: ImportedPerson[] = []
  const problems = [...parsed.problems]
  const firstRow = new Map<string, number>()
  for (const raw of parsed.rows) {
    const checked = checkImportRow(raw, domain)
    if ('problems' in checked) {
      problems.push(...checked.problems)
      continue
    }
    const earlier = firstRow.get(checked.person.address)
    if (earlier !== undefined) {
      const at = { row: raw.row, ...(raw.line === undefined ? {} : { line: raw.line }) }
      const message = `${checked.person.address} is on row ${earlier} already`
      problems.push({ ...at, field: 'address', code: 'duplicate-address', message })
      continue
    }
    firstRow.set(checked.person.address, raw.row)
    people.push(checked.person)
  }
  problems.sort((a, b) => a.row - b.row)
  return { people, problems }
}

const rowCount = (parsed: ParsedImport): number =>
  new Set(
    [...parsed.rows.map((r) => r.row), ...parsed.problems.map((p) => p.row)].filter(
      (row) => row > 0,
    ),
  ).size

/** What a real run would do, without writing. */
const plan = async (
  deps: DirectoryServiceDeps,
  actor: User,
  people: readonly ImportedPerson[],
): Promise<{ created: number; updated: number; teamsCreated: string[] }> => {
  const existing = await deps.store.findDirectoryEntries(actor.organizationId, {
    addresses: people.map((p) => p.address),
  })
  const groups = new Set((await deps.store.listGroups(actor.organizationId)).map((g) => g.name))
  const teams = new Set(people.flatMap((p) => p.teams ?? []))
  return {
    created: people.length - existing.length,
    updated: existing.length,
    teamsCreated: [...teams].filter((team) => !groups.has(team)).sort(),
  }
}

/** Refreshes the cached profiles of changed users and the memberships the policy engine reads. */
const refreshCaches = async (
  deps: DirectoryServiceDeps,
  actor: User,
  input: { readonly people: readonly ImportedPerson[]; readonly updated: readonly string[] },
): Promise<void> => {
  const profileChanged = new Set(
    input.people.filter((p) => p.displayName ?? p.timeZone ?? p.workingHours).map((p) => p.address),
  )
  const inTeams = input.people.filter((p) => p.teams && p.teams.length > 0).map((p) => p.address)
  const entries = await deps.store.findDirectoryEntries(actor.organizationId, {
    addresses: inTeams,
  })
  for (const entry of entries) deps.policies.setGroups(entry.address, entry.groupIds)
  for (const id of input.updated) {
    const user = await deps.store.getUser(id)
    if (!user || !profileChanged.has(user.address) || !deps.profiles.get(user.address)) continue
    const profile = await deps.profiles.refresh(user)
    const update = { kind: 'profile', userId: user.id, profile } as const
    deps.policies.changed({ kind: 'presentity', address: user.address }, update)
  }
}

export const runDirectoryImport = async (
  deps: DirectoryServiceDeps,
  run: { readonly actor: User; readonly parsed: ParsedImport; readonly dryRun: boolean },
): Promise<ImportReport> => {
  const { actor, parsed, dryRun } = run
  const organization = await deps.store.getOrganization(actor.organizationId)
  if (!organization) throw new NarvaroError('NRV_NOT_FOUND', 'your organization no longer exists')
  const { people, problems } = checkRows(parsed, organization.domain)
  const base = { dryRun, rows: rowCount(parsed), valid: people.length, problems }
  if (parsed.fatal)
    return { ...base, valid: 0, written: false, created: 0, updated: 0, teamsCreated: [] }
  if (dryRun || people.length === 0)
    return { ...base, written: false, ...(await plan(deps, actor, people)) }
  const result = await deps.store.importDirectory({
    organizationId: actor.organizationId,
    people,
    createdAt: deps.clock.now(),
    passwordHash: noPasswordHash,
  })
  await refreshCaches(deps, actor, { people, updated: result.updated })
  if (result.createdGroups.length > 0) await deps.teams.changed(actor.organizationId)
  return {
    ...base,
    written: true,
    created: result.created.length,
    updated: result.updated.length,
    teamsCreated: [...result.createdGroups].sort(),
  }
}

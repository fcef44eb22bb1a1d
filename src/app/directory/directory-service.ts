// The directory of an organization: who is who (title, tags, teams, time zone, working hours), search
// by name, team and tag, and bulk import of people and teams; app layer. No presence here: what
// someone's presence shows goes through views only.
import { NarvaroError } from '../../core/errors.js'
import { normalizeAddress } from '../../core/model/address.js'
import type { WeeklyHours } from '../../core/model/presence-model.js'
import { presentityNotFound } from '../../core/subscriptions/hidden-presentity.js'
import type { DirectoryEntry } from '../../ports/directory-store.js'
import { maxDirectoryPage } from '../../ports/directory-store.js'
import type { Group } from '../../ports/policy-store.js'
import type { User } from '../../ports/store.js'
import { parseCsvImport, parseJsonImport } from './directory-import.js'
import type { ImportReport } from './directory-import-run.js'
import { runDirectoryImport } from './directory-import-run.js'
import { maxTags, maxTitleLength, normalizeTag } from './directory-import-row.js'
import { requireAdmin } from '../shared/index.js'
import type { DirectoryServiceDeps } from './directory-deps.js'

export type { DirectoryServiceDeps } from './directory-deps.js'

/** One person as the directory shows them to colleagues. */
export interface DirectoryPerson {
  readonly address: string
  readonly displayName: string
  readonly title?: string
  readonly tags: readonly string[]
  /** Names of the person's teams (the organization's groups), sorted. */
  readonly teams: readonly string[]
  readonly timeZone: string
  readonly workingHours?: WeeklyHours
}

export interface DirectorySearch {
  /** Part of the address or the display name, any case. */
  readonly text?: string
  /** A team's name or id. */
  readonly team?: string
  readonly tag?: string
  /** 1 to 500; 100 when absent. */
  readonly limit?: number
  /** The `next` of the previous page. */
  readonly cursor?: string
}

export interface DirectoryResult {
  readonly entries: readonly DirectoryPerson[]
  readonly next?: string
}

const invalid = (message: string, details: Record<string, unknown> = {}): NarvaroError =>
  new NarvaroError('NRV_VALIDATION', message, { details })

const decodeCursor = (cursor: string): string => {
  const address = Buffer.from(cursor, 'base64url').toString('utf8')
  try {
    return normalizeAddress(address)
  } catch {
    throw invalid('not a cursor of this directory', { cursor })
  }
}

export class DirectoryService {
  constructor(private readonly deps: DirectoryServiceDeps) {}

  /** The people of one organization as seen from outside the store: team ids become names. */
  async present(
    organizationId: string,
    entries: readonly DirectoryEntry[],
  ): Promise<DirectoryPerson[]> {
    const groups = await this.deps.store.listGroups(organizationId)
    const names = new Map(groups.map((g) => [g.id, g.name]))
    return entries.map((entry) => ({
      address: entry.address,
      displayName: entry.displayName,
      ...(entry.title === undefined ? {} : { title: entry.title }),
      tags: entry.tags,
      teams: entry.groupIds.flatMap((id) => names.get(id) ?? []).sort(),
      timeZone: entry.timeZone,
      ...(entry.workingHours ? { workingHours: entry.workingHours } : {}),
    }))
  }

  /** A team of the actor's organization by name (first) or id; NRV_NOT_FOUND when there is none. */
  async team(actor: User, nameOrId: string): Promise<Group> {
    const groups = await this.deps.store.listGroups(actor.organizationId)
    const group = groups.find((g) => g.name === nameOrId) ?? groups.find((g) => g.id === nameOrId)
    if (!group) throw new NarvaroError('NRV_NOT_FOUND', `no team ${JSON.stringify(nameOrId)}`)
    return group
  }

  async search(actor: User, query: DirectorySearch): Promise<DirectoryResult> {
    const limit = query.limit ?? 100
    if (!Number.isInteger(limit) || limit < 1 || limit > maxDirectoryPage) {
      throw invalid(`limit: 1 to ${maxDirectoryPage}`)
    }
    const tag = query.tag === undefined ? undefined : normalizeTag(query.tag)
    if (query.tag !== undefined && tag === undefined) throw invalid(`not a tag: ${query.tag}`)
    const groupId = query.team === undefined ? undefined : (await this.team(actor, query.team)).id
    const page = await this.deps.store.searchDirectory({
      organizationId: actor.organizationId,
      limit,
      ...(query.text ? { text: query.text } : {}),
      ...(groupId === undefined ? {} : { groupId }),
      ...(tag === undefined ? {} : { tag }),
      ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
    })
    const entries = await this.present(actor.organizationId, page.entries)
    if (page.next === undefined) return { entries }
    return { entries, next: Buffer.from(page.next, 'utf8').toString('base64url') }
  }

  private async find(actor: User, rawAddress: string): Promise<DirectoryEntry> {
    const address = normalizeAddress(rawAddress)
    const [entry] = await this.deps.store.findDirectoryEntries(actor.organizationId, {
      addresses: [address],
    })
    // Another organization's person is answered exactly as one that nobody is.
    if (!entry) throw presentityNotFound(address)
    return entry
  }

  async entry(actor: User, rawAddress: string): Promise<DirectoryPerson> {
    const [person] = await this.present(actor.organizationId, [await this.find(actor, rawAddress)])
    return person!
  }

  /** Title and tags: admins change anyone's, a member only their own. `title: null` clears it. */
  async setFields(
    actor: User,
    rawAddress: string,
    fields: { readonly title?: string | null; readonly tags?: readonly string[] },
  ): Promise<DirectoryPerson> {
    const entry = await this.find(actor, rawAddress)
    if (actor.role !== 'admin' && entry.userId !== actor.id) {
      throw new NarvaroError(
        'NRV_FORBIDDEN',
        'only an admin may change the directory entry of someone else',
      )
    }
    const title = fields.title?.trim()
    if (title !== undefined && title.length > maxTitleLength)
      throw invalid(`a title has at most ${maxTitleLength} characters`)
    const tags = fields.tags?.map((raw) => {
      const tag = normalizeTag(raw)
      if (tag === undefined)
        throw invalid(`not a tag: ${JSON.stringify(raw)} (letters, digits, . _ -)`, { tag: raw })
      return tag
    })
    if (tags && new Set(tags).size > maxTags) throw invalid(`at most ${maxTags} tags`)
    const updated = await this.deps.store.setDirectoryFields(entry.userId, {
      ...(fields.title === undefined ? {} : { title: title || null }),
      ...(tags === undefined ? {} : { tags: [...new Set(tags)] }),
    })
    if (!updated) throw presentityNotFound(entry.address)
    const [person] = await this.present(actor.organizationId, [updated])
    return person!
  }

  /**
   * Creates and updates people and teams from CSV text or JSON rows (admin). Every bad row is
   * reported; a dry run writes nothing, a real run writes every good row in one transaction.
   */
  async import(
    actor: User,
    input: { readonly csv: string } | { readonly rows: readonly unknown[] },
    options: { readonly dryRun: boolean },
  ): Promise<ImportReport> {
    requireAdmin(actor, 'import the directory')
    const parsed = 'csv' in input ? parseCsvImport(input.csv) : parseJsonImport(input.rows)
    const report = await runDirectoryImport(this.deps, { actor, parsed, dryRun: options.dryRun })
    if (report.written) {
      const { rows, created, updated, teamsCreated } = report
      this.deps.audit.action('admin', {
        organizationId: actor.organizationId,
        actor: actor.address,
        action: 'directory.imported',
        data: { rows, created, updated, teamsCreated },
      })
    }
    return report
  }
}

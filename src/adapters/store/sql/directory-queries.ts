// Queries of the directory for any Kysely dialect: titles and tags, search by text, team and tag, and
// bulk lookups; adapter layer. Text search compares lower-cased forms so that both dialects agree.
import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type {
  DirectoryEntry,
  DirectoryFields,
  DirectoryPage,
  DirectoryQuery,
} from '../../../ports/directory-store.js'
import type { WeeklyHours } from '../../../core/model/presence-model.js'
import type { NarvaroDb, UserTable } from './database-schema.js'
import { inBatches } from './in-batches.js'
import { parseJson } from './row-mappers.js'

/** Ids per `in (…)` list: far below every dialect's limit of bound parameters. */
const idsPerQuery = 500

type EntryRow = Pick<
  Selectable<UserTable>,
  'id' | 'address' | 'display_name' | 'title' | 'time_zone' | 'working_hours'
>

const entryColumns = [
  'u.id',
  'u.address',
  'u.display_name',
  'u.title',
  'u.time_zone',
  'u.working_hours',
] as const

/** Tags and group ids of many users, each list sorted. */
const labelsOf = async (
  db: NarvaroDb,
  userIds: readonly string[],
): Promise<{ tags: Map<string, string[]>; groups: Map<string, string[]> }> => {
  const tags = new Map<string, string[]>()
  const groups = new Map<string, string[]>()
  const push = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key)
    if (list) list.push(value)
    else map.set(key, [value])
  }
  for (const batch of inBatches(userIds, idsPerQuery)) {
    const tagRows = await db
      .selectFrom('user_tags')
      .select(['user_id', 'tag'])
      .where('user_id', 'in', batch)
      .orderBy('user_id')
      .orderBy('tag')
      .execute()
    for (const row of tagRows) push(tags, row.user_id, row.tag)
    const groupRows = await db
      .selectFrom('group_members')
      .select(['user_id', 'group_id'])
      .where('user_id', 'in', batch)
      .orderBy('user_id')
      .orderBy('group_id')
      .execute()
    for (const row of groupRows) push(groups, row.user_id, row.group_id)
  }
  return { tags, groups }
}

const toEntries = async (
  db: NarvaroDb,
  rows: readonly EntryRow[],
): Promise<readonly DirectoryEntry[]> => {
  if (rows.length === 0) return []
  const { tags, groups } = await labelsOf(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => ({
    userId: row.id,
    address: row.address,
    displayName: row.display_name,
    ...(row.title === null ? {} : { title: row.title }),
    timeZone: row.time_zone,
    ...(row.working_hours === null
      ? {}
      : { workingHours: parseJson<WeeklyHours>(row.working_hours) }),
    tags: tags.get(row.id) ?? [],
    groupIds: groups.get(row.id) ?? [],
  }))
}

/** `text` as a LIKE pattern matching it anywhere, with `\` escaping LIKE's own characters. */
const containsPattern = (text: string): string =>
  `%${text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** The users of the query's organization that match every criterion it gives, by address. */
const matching = (db: NarvaroDb, query: DirectoryQuery) => {
  let select = db
    .selectFrom('users as u')
    .select(entryColumns)
    .where('u.organization_id', '=', query.organizationId)
  if (query.text !== undefined && query.text !== '') {
    const like = containsPattern(query.text)
    select = select.where(
      (eb) =>
        sql<boolean>`(${eb.ref('u.address')} like ${like} escape '\\' or ${eb.ref('u.search_name')} like ${like} escape '\\')`,
    )
  }
  const { groupId, tag, after } = query
  if (groupId !== undefined) {
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_members as m')
          .select('m.user_id')
          .whereRef('m.user_id', '=', 'u.id')
          .where('m.group_id', '=', groupId),
      ),
    )
  }
  if (tag !== undefined) {
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_tags as t')
          .select('t.user_id')
          .whereRef('t.user_id', '=', 'u.id')
          .where('t.tag', '=', tag),
      ),
    )
  }
  if (after !== undefined) select = select.where('u.address', '>', after)
  return select.orderBy('u.address')
}

export const searchDirectory = async (
  db: NarvaroDb,
  query: DirectoryQuery,
): Promise<DirectoryPage> => {
  const rows = await matching(db, query)
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit)
  const entries = await toEntries(db, page)
  const last = page[page.length - 1]
  return rows.length > query.limit && last ? { entries, next: last.address } : { entries }
}

export const findDirectoryEntries = async (
  db: NarvaroDb,
  organizationId: string,
  keys: { readonly ids?: readonly string[]; readonly addresses?: readonly string[] },
): Promise<readonly DirectoryEntry[]> => {
  const rows = new Map<string, EntryRow>()
  const lookups = [
    ['u.id', [...new Set(keys.ids ?? [])]],
    ['u.address', [...new Set(keys.addresses ?? [])]],
  ] as const
  for (const [column, values] of lookups) {
    for (const batch of inBatches(values, idsPerQuery)) {
      const found = await db
        .selectFrom('users as u')
        .select(entryColumns)
        .where('u.organization_id', '=', organizationId)
        .where(column, 'in', batch)
        .execute()
      for (const row of found) rows.set(row.id, row)
    }
  }
  const sorted = [...rows.values()].sort((a, b) => (a.address < b.address ? -1 : 1))
  return toEntries(db, sorted)
}

export const selectUserTags = async (db: NarvaroDb, userId: string): Promise<readonly string[]> => {
  const rows = await db
    .selectFrom('user_tags')
    .select('tag')
    .where('user_id', '=', userId)
    .orderBy('tag')
    .execute()
  return rows.map((row) => row.tag)
}

/** Replaces the tags of many users (one statement per batch); tags are already unique per user. */
export const replaceTags = async (
  db: NarvaroDb,
  tagsByUser: ReadonlyMap<string, readonly string[]>,
): Promise<void> => {
  const userIds = [...tagsByUser.keys()]
  for (const batch of inBatches(userIds, idsPerQuery)) {
    await db.deleteFrom('user_tags').where('user_id', 'in', batch).execute()
  }
  const rows = [...tagsByUser].flatMap(([userId, tags]) =>
    [...new Set(tags)].map((tag) => ({ user_id: userId, tag })),
  )
  for (const batch of inBatches(rows, idsPerQuery)) {
    await db.insertInto('user_tags').values(batch).execute()
  }
}

export const updateDirectoryFields = (
  db: NarvaroDb,
  userId: string,
  fields: DirectoryFields,
): Promise<DirectoryEntry | undefined> =>
  db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'organization_id'])
      .where('id', '=', userId)
      .executeTakeFirst()
    if (!user) return undefined
    if (fields.title !== undefined) {
      await trx.updateTable('users').set({ title: fields.title }).where('id', '=', userId).execute()
    }
    if (fields.tags !== undefined) await replaceTags(trx, new Map([[userId, fields.tags]]))
    const [entry] = await findDirectoryEntries(trx, user.organization_id, { ids: [userId] })
    return entry
  })

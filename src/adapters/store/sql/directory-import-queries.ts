// The bulk import of people and teams, for any Kysely dialect: one transaction of multi-row
// statements, so that thousands of rows take well under a second on SQLite; adapter layer.
import { randomUUID } from 'node:crypto'
import type { Insertable, Updateable } from 'kysely'
import { NarvaroError } from '../../../core/errors.js'
import type {
  DirectoryImport,
  DirectoryImportResult,
  ImportedPerson,
} from '../../../ports/directory-store.js'
import type { NarvaroDb, UserTable } from './database-schema.js'
import { replaceTags } from './directory-queries.js'
import { inBatches } from './in-batches.js'
import { searchNameOf } from './migrations/0003-directory.js'

/** Rows per INSERT of users (13 columns): below SQLite's and PostgreSQL's parameter limits. */
const usersPerInsert = 200
const keysPerQuery = 500

/** Ids of the users that exist already, by address; one of another organization is a conflict. */
const existingUsers = async (
  db: NarvaroDb,
  input: DirectoryImport,
): Promise<Map<string, string>> => {
  const found = new Map<string, string>()
  const addresses = input.people.map((person) => person.address)
  for (const batch of inBatches(addresses, keysPerQuery)) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'address', 'organization_id'])
      .where('address', 'in', batch)
      .execute()
    for (const row of rows) {
      if (row.organization_id !== input.organizationId) {
        throw new NarvaroError('NRV_CONFLICT', `${row.address} belongs to another organization`)
      }
      found.set(row.address, row.id)
    }
  }
  return found
}

/** Group ids by name, creating the groups that are missing. */
const ensureGroups = async (
  db: NarvaroDb,
  input: DirectoryImport,
): Promise<{ ids: Map<string, string>; created: string[] }> => {
  const wanted = new Set(input.people.flatMap((person) => person.teams ?? []))
  const ids = new Map<string, string>()
  if (wanted.size === 0) return { ids, created: [] }
  const rows = await db
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('organization_id', '=', input.organizationId)
    .execute()
  for (const row of rows) ids.set(row.name, row.id)
  const created = [...wanted].filter((name) => !ids.has(name))
  const newRows = created.map((name) => ({
    id: randomUUID(),
    organization_id: input.organizationId,
    name,
    created_at: input.createdAt,
  }))
  for (const batch of inBatches(newRows, keysPerQuery)) {
    await db.insertInto('groups').values(batch).execute()
  }
  for (const row of newRows) ids.set(row.name, row.id)
  return { ids, created }
}

const newUserRow = (input: DirectoryImport, person: ImportedPerson): Insertable<UserTable> => {
  const displayName = person.displayName ?? person.address.slice(0, person.address.indexOf('@'))
  return {
    id: randomUUID(),
    organization_id: input.organizationId,
    address: person.address,
    display_name: displayName,
    search_name: searchNameOf(displayName),
    title: person.title ?? null,
    role: 'member',
    time_zone: person.timeZone ?? 'UTC',
    working_hours: person.workingHours ? JSON.stringify(person.workingHours) : null,
    password_hash: input.passwordHash,
    created_at: input.createdAt,
    last_seen: null,
  }
}

/** Only the fields the person gives change. */
const userUpdate = (person: ImportedPerson): Updateable<UserTable> => ({
  ...(person.displayName === undefined
    ? {}
    : { display_name: person.displayName, search_name: searchNameOf(person.displayName) }),
  ...(person.title === undefined ? {} : { title: person.title }),
  ...(person.timeZone === undefined ? {} : { time_zone: person.timeZone }),
  ...(person.workingHours === undefined
    ? {}
    : { working_hours: JSON.stringify(person.workingHours) }),
})

const writePeople = async (
  db: NarvaroDb,
  input: DirectoryImport,
  existing: ReadonlyMap<string, string>,
): Promise<{ ids: Map<string, string>; created: string[]; updated: string[] }> => {
  const ids = new Map(existing)
  const created: string[] = []
  const updated: string[] = []
  const newRows: Insertable<UserTable>[] = []
  for (const person of input.people) {
    const id = existing.get(person.address)
    if (id === undefined) {
      const row = newUserRow(input, person)
      newRows.push(row)
      ids.set(person.address, row.id)
      created.push(row.id)
      continue
    }
    updated.push(id)
    const update = userUpdate(person)
    if (Object.keys(update).length > 0) {
      await db.updateTable('users').set(update).where('id', '=', id).execute()
    }
  }
  for (const batch of inBatches(newRows, usersPerInsert)) {
    await db.insertInto('users').values(batch).execute()
  }
  return { ids, created, updated }
}

const addMemberships = async (
  db: NarvaroDb,
  input: DirectoryImport,
  ids: {
    readonly users: ReadonlyMap<string, string>
    readonly groups: ReadonlyMap<string, string>
  },
): Promise<void> => {
  const rows = input.people.flatMap((person) =>
    [...new Set(person.teams ?? [])].map((team) => ({
      group_id: ids.groups.get(team)!,
      user_id: ids.users.get(person.address)!,
    })),
  )
  for (const batch of inBatches(rows, keysPerQuery)) {
    await db
      .insertInto('group_members')
      .values(batch)
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .execute()
  }
}

export const importDirectory = (
  db: NarvaroDb,
  input: DirectoryImport,
): Promise<DirectoryImportResult> =>
  db.transaction().execute(async (trx) => {
    const existing = await existingUsers(trx, input)
    const groups = await ensureGroups(trx, input)
    const people = await writePeople(trx, input, existing)
    const tags = new Map<string, readonly string[]>()
    for (const person of input.people) {
      if (person.tags !== undefined) tags.set(people.ids.get(person.address)!, person.tags)
    }
    await replaceTags(trx, tags)
    await addMemberships(trx, input, { users: people.ids, groups: groups.ids })
    return { created: people.created, updated: people.updated, createdGroups: groups.created }
  })

// Queries on API tokens, for any Kysely dialect; adapter layer. Only the hash of a secret is stored.
import { randomUUID } from 'node:crypto'
import type { ApiToken, NewApiToken, User } from '../../../ports/store.js'
import type { NarvaroDb } from './database-schema.js'
import { toApiToken } from './row-mappers.js'
import { updateFromValues } from './update-from-values.js'
import { selectUser } from './user-queries.js'

export const insertToken = async (db: NarvaroDb, input: NewApiToken): Promise<ApiToken> => {
  const row = {
    id: randomUUID(),
    user_id: input.userId,
    name: input.name,
    token_hash: input.tokenHash,
    created_at: input.createdAt,
    expires_at: input.expiresAt ?? null,
    revoked_at: null,
    last_used_at: null,
  }
  await db.insertInto('api_tokens').values(row).execute()
  return toApiToken(row)
}

/** A token is live until it is revoked or its expiry is reached (`expiresAt <= now`). */
export const selectLiveToken = async (
  db: NarvaroDb,
  tokenHash: string,
  now: number,
): Promise<{ token: ApiToken; user: User } | undefined> => {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()
  if (!row) return undefined
  const user = await selectUser(db, { id: row.user_id })
  return user && { token: toApiToken(row), user }
}

/** Every token of the user, revoked and expired ones included, oldest first. */
export const selectTokens = async (db: NarvaroDb, userId: string): Promise<readonly ApiToken[]> => {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toApiToken)
}

/** Whether the user has this token; revoking twice is harmless and keeps the first time. */
export const revokeToken = async (
  db: NarvaroDb,
  userId: string,
  tokenId: string,
  now: number,
): Promise<boolean> => {
  const { numUpdatedRows } = await db
    .updateTable('api_tokens')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)).$castTo<number>() }))
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return numUpdatedRows > 0n
}

/** Many tokens' last use in one transaction: one commit for a reconnect storm's worth. */
export const touchTokens = (db: NarvaroDb, touches: ReadonlyMap<string, number>): Promise<void> =>
  updateFromValues(db, { table: 'api_tokens', key: 'id', column: 'last_used_at' }, touches)

/** Revokes the user's live tokens but one; the ids revoked, so their sessions can be closed. */
export const revokeOtherTokens = async (
  db: NarvaroDb,
  userId: string,
  exceptTokenId: string | undefined,
  now: number,
): Promise<readonly string[]> => {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
  if (exceptTokenId !== undefined) query = query.where('id', '!=', exceptTokenId)
  const rows = await query.returning('id').execute()
  return rows.map((row) => row.id)
}

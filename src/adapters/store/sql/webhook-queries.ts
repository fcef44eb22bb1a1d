// Queries on webhook endpoints and their bounded delivery log, for any Kysely dialect; adapter layer.
import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type {
  NewWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookPatch,
} from '../../../ports/webhook-store.js'
import type { NarvaroDb, WebhookDeliveryTable, WebhookTable } from './database-schema.js'

const optional = <T>(value: T | null | undefined): T | undefined => value ?? undefined
const optionalNumber = (value: number | string | null): number | undefined =>
  value === null ? undefined : Number(value)

const toEndpoint = (row: Selectable<WebhookTable>): WebhookEndpoint => {
  const previousSecret = optional(row.previous_secret)
  const previousSecretExpiresAt = optionalNumber(row.previous_secret_expires_at)
  const disabledReason = optional(row.disabled_reason)
  const firstFailureAt = optionalNumber(row.first_failure_at)
  return {
    id: row.id,
    ownerId: row.owner_id,
    url: row.url,
    secret: row.secret,
    ...(previousSecret === undefined ? {} : { previousSecret }),
    ...(previousSecretExpiresAt === undefined ? {} : { previousSecretExpiresAt }),
    addresses: JSON.parse(row.addresses) as string[],
    events: JSON.parse(row.events) as WebhookEventType[],
    enabled: row.enabled === 1,
    ...(disabledReason === undefined ? {} : { disabledReason }),
    failureCount: row.failure_count,
    ...(firstFailureAt === undefined ? {} : { firstFailureAt }),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

const toDelivery = (row: Selectable<WebhookDeliveryTable>): WebhookDelivery => {
  const statusCode = optional(row.status_code)
  const error = optional(row.error)
  return {
    id: row.id,
    endpointId: row.webhook_id,
    messageId: row.message_id,
    eventType: row.event_type,
    attempt: row.attempt,
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(error === undefined ? {} : { error }),
    durationMs: row.duration_ms,
    at: Number(row.at),
  }
}

export const insertWebhook = async (
  db: NarvaroDb,
  input: NewWebhookEndpoint,
): Promise<WebhookEndpoint> => {
  const id = `wh_${randomUUID().replaceAll('-', '').slice(0, 20)}`
  await db
    .insertInto('webhooks')
    .values({
      id,
      owner_id: input.ownerId,
      url: input.url,
      secret: input.secret,
      previous_secret: input.previousSecret ?? null,
      previous_secret_expires_at: input.previousSecretExpiresAt ?? null,
      addresses: JSON.stringify(input.addresses),
      events: JSON.stringify(input.events),
      enabled: input.enabled ? 1 : 0,
      disabled_reason: input.disabledReason ?? null,
      failure_count: input.failureCount,
      first_failure_at: input.firstFailureAt ?? null,
      created_at: input.createdAt,
      updated_at: input.updatedAt,
    })
    .execute()
  return { ...input, id }
}

export const selectWebhook = async (
  db: NarvaroDb,
  id: string,
): Promise<WebhookEndpoint | undefined> => {
  const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : toEndpoint(row)
}

export const selectWebhooks = async (
  db: NarvaroDb,
  ownerId: string | undefined,
): Promise<readonly WebhookEndpoint[]> => {
  let query = db.selectFrom('webhooks').selectAll()
  if (ownerId !== undefined) query = query.where('owner_id', '=', ownerId)
  const rows = await query.orderBy('created_at').orderBy('id').execute()
  return rows.map(toEndpoint)
}

const patchRow = (patch: WebhookPatch): Partial<Record<keyof WebhookTable, unknown>> => {
  const row: Partial<Record<keyof WebhookTable, unknown>> = {}
  if (patch.url !== undefined) row.url = patch.url
  if (patch.secret !== undefined) row.secret = patch.secret
  if (patch.previousSecret !== undefined) row.previous_secret = patch.previousSecret
  if (patch.previousSecretExpiresAt !== undefined) {
    row.previous_secret_expires_at = patch.previousSecretExpiresAt
  }
  if (patch.addresses !== undefined) row.addresses = JSON.stringify(patch.addresses)
  if (patch.events !== undefined) row.events = JSON.stringify(patch.events)
  if (patch.enabled !== undefined) row.enabled = patch.enabled ? 1 : 0
  if (patch.disabledReason !== undefined) row.disabled_reason = patch.disabledReason
  if (patch.failureCount !== undefined) row.failure_count = patch.failureCount
  if (patch.firstFailureAt !== undefined) row.first_failure_at = patch.firstFailureAt
  if (patch.updatedAt !== undefined) row.updated_at = patch.updatedAt
  for (const field of patch.clear ?? []) {
    if (field === 'previousSecret')
      Object.assign(row, { previous_secret: null, previous_secret_expires_at: null })
    if (field === 'disabledReason') row.disabled_reason = null
    if (field === 'firstFailureAt') row.first_failure_at = null
  }
  return row
}

export const updateWebhook = async (
  db: NarvaroDb,
  id: string,
  patch: WebhookPatch,
): Promise<WebhookEndpoint | undefined> => {
  const row = patchRow(patch)
  if (Object.keys(row).length > 0) {
    await db
      .updateTable('webhooks')
      .set(row as never)
      .where('id', '=', id)
      .execute()
  }
  return selectWebhook(db, id)
}

export const deleteWebhook = async (db: NarvaroDb, id: string): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute()
    const { numDeletedRows } = await trx
      .deleteFrom('webhooks')
      .where('id', '=', id)
      .executeTakeFirst()
    return numDeletedRows > 0n
  })

let deliveryCounter = 0
/** Ids that sort in the order of insertion, also when the store's clock stands still. */
const nextDeliveryId = (): string => {
  deliveryCounter = (deliveryCounter + 1) % 1_000_000
  return `${String(Date.now()).padStart(15, '0')}${String(deliveryCounter).padStart(6, '0')}`
}

export const insertWebhookDelivery = async (
  db: NarvaroDb,
  delivery: Omit<WebhookDelivery, 'id'>,
  keep: number,
): Promise<void> => {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_deliveries')
      .values({
        id: nextDeliveryId(),
        webhook_id: delivery.endpointId,
        message_id: delivery.messageId,
        event_type: delivery.eventType,
        attempt: delivery.attempt,
        status_code: delivery.statusCode ?? null,
        error: delivery.error ?? null,
        duration_ms: Math.round(delivery.durationMs),
        at: delivery.at,
      })
      .execute()
    const cutoff = await trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('webhook_id', '=', delivery.endpointId)
      .orderBy('id', 'desc')
      .offset(keep)
      .limit(1)
      .executeTakeFirst()
    if (cutoff === undefined) return
    await trx
      .deleteFrom('webhook_deliveries')
      .where('webhook_id', '=', delivery.endpointId)
      .where('id', '<=', cutoff.id)
      .execute()
  })
}

export const selectWebhookDeliveries = async (
  db: NarvaroDb,
  endpointId: string,
  limit: number,
): Promise<readonly WebhookDelivery[]> => {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(Math.max(0, Math.floor(limit)))
    .execute()
  return rows.map(toDelivery)
}

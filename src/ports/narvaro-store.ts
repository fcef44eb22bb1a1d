// The durable store as a whole: every store port, implemented by one adapter (SQLite today,
// PostgreSQL next); ports layer.
import type { DirectoryStore } from './directory-store.js'
import type { IntegrationStore } from './integration-store.js'
import type { PolicyStore } from './policy-store.js'
import type { ScheduleStore } from './schedule-store.js'
import type { PresenceStore } from './store.js'
import type { WebhookStore } from './webhook-store.js'

/** The durable store: every store port, implemented by one adapter. */
export type NarvaroStore = PresenceStore &
  PolicyStore &
  DirectoryStore &
  WebhookStore &
  IntegrationStore &
  ScheduleStore

// Decides a watcher's permissions from who the watcher is; core layer.
// The baseline of issue 3: the owner sees everything, the same organization everything but
// personal contact methods, anyone else nothing. The policy engine of issue 4 replaces the body.
import type { Permissions } from './permissions.js'
import { nothing } from './permissions.js'

export interface Party {
  readonly address: string
  readonly organizationId: string
}

export interface PolicyContext {
  readonly watcher: Party
  readonly presentity: Party
  readonly now: number
}

export const everything: Permissions = {
  subscription: 'allow',
  activities: true,
  note: true,
  mood: true,
  place: true,
  location: 'exact',
  timeZone: true,
  lastSeen: true,
  devices: true,
  contactScopes: ['work', 'personal'],
  appearOffline: false,
}

const colleague: Permissions = { ...everything, contactScopes: ['work'] }

export const decidePermissions = (context: PolicyContext): Permissions => {
  if (context.watcher.address === context.presentity.address) return everything
  if (context.watcher.organizationId === context.presentity.organizationId) return colleague
  return nothing
}

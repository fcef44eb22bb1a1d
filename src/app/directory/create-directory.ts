// The directory concept composed: the profile cache every concept reads, who is who, groups and
// personal contact lists; app layer.
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import { ContactListService } from './contact-list-service.js'
import { DirectoryService } from './directory-service.js'
import { GroupService } from './group-service.js'
import { ProfileDirectory } from './profile-directory.js'

export interface DirectoryParts {
  readonly profiles: ProfileDirectory
  readonly groups: GroupService
  /** Who is who: titles, tags, teams, search and bulk import. */
  readonly directory: DirectoryService
  /** Each user's personal contact lists. */
  readonly contactLists: ContactListService
}

export const createDirectory = (deps: {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly policies: PolicyDirectory
  readonly audit: AuditLog
}): DirectoryParts => {
  const { store, clock, policies, audit } = deps
  const profiles = new ProfileDirectory(store)
  return {
    profiles,
    groups: new GroupService({ store, clock, policies, audit }),
    directory: new DirectoryService({ store, clock, profiles, policies, audit }),
    contactLists: new ContactListService({ store, clock }),
  }
}

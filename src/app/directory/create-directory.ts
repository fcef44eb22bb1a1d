// The directory concept composed: the profile cache every concept reads, who is who, groups and
// personal contact lists; app layer.
import type { ChangeBus } from '../../ports/bus.js'
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import { ContactListService } from './contact-list-service.js'
import { DirectoryService } from './directory-service.js'
import { GroupService } from './group-service.js'
import { ProfileDirectory } from './profile-directory.js'
import { TeamNames } from './team-names.js'

export interface DirectoryParts {
  readonly profiles: ProfileDirectory
  /** Which team a name or id means, per organization, without a store read per question. */
  readonly teams: TeamNames
  readonly groups: GroupService
  /** Who is who: titles, tags, teams, search and bulk import. */
  readonly directory: DirectoryService
  /** Each user's personal contact lists. */
  readonly contactLists: ContactListService
}

export const createDirectory = (deps: {
  readonly store: NarvaroStore
  readonly bus: ChangeBus
  readonly clock: Clock
  readonly policies: PolicyDirectory
  readonly audit: AuditLog
}): DirectoryParts => {
  const { store, bus, clock, policies, audit } = deps
  const profiles = new ProfileDirectory(store)
  const teams = new TeamNames({ store, bus, clock })
  return {
    profiles,
    teams,
    groups: new GroupService({ store, clock, policies, audit, teams }),
    directory: new DirectoryService({ store, clock, profiles, policies, audit, teams }),
    contactLists: new ContactListService({ store, clock }),
  }
}

/** Stops following the change channel. */
export const stopDirectory = (parts: DirectoryParts): void => parts.teams.stop()

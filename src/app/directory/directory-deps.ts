// What the directory service and its import run are built from; app layer.
import type { Clock } from '../../ports/clock.js'
import type { NarvaroStore } from '../../ports/narvaro-store.js'
import type { AuditLog, PolicyDirectory } from '../policy/index.js'
import type { ProfileDirectory } from './profile-directory.js'
import type { TeamNames } from './team-names.js'

export interface DirectoryServiceDeps {
  readonly store: NarvaroStore
  readonly clock: Clock
  readonly profiles: ProfileDirectory
  readonly policies: PolicyDirectory
  readonly audit: AuditLog
  readonly teams: TeamNames
}

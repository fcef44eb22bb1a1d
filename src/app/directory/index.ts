// The directory concept of the application layer: what other concepts, the transports and the server
// may use of it; everything else in this folder is its own.

export { ContactListService, maxListMembers } from './contact-list-service.js'
export { importProblemCodes, maxImportRows } from './directory-import.js'
export { DirectoryService } from './directory-service.js'
export { GroupService } from './group-service.js'
export { ProfileDirectory } from './profile-directory.js'
export { TeamNames } from './team-names.js'
export { followOtherNodes } from './follow-other-nodes.js'
export { createDirectory, stopDirectory } from './create-directory.js'
export type { DirectoryParts } from './create-directory.js'
// The largest page of a directory listing, as the transports validate it.
export { maxDirectoryPage } from '../../ports/directory-store.js'

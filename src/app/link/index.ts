// Serverless mode's concept: the people found on the link and direct requests to their peers.
export { DirectRequests, type DirectDialer } from './direct-requests.js'
export { LinkPeople, addressOfInstance, linkSourceId } from './link-people.js'

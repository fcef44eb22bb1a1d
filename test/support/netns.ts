// A small network of its own for serverless tests (network namespaces joined by a bridge, never the
// root namespace): the bench's implementation, shared; test support.
export { createLink, type Host, type Link } from '../../bench/lib/netns.js'

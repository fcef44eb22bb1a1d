// One test file's Närvaro with its XMPP gateway on: started before the file's own hooks with the
// given users, its clients (slixmpp, xmpp.js, raw) stopped after them; test support.
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { addUsersFast } from '../direct-users.js'
import { domain, passwordOf, startHarness, type Harness } from '../server-harness.js'
import { SlixClient } from './slix-client.js'

export const at = (name: string): string => `${name}@${domain}`

export interface XmppServer {
  readonly harness: Harness
  /** Each user's API token, by name. */
  readonly tokens: Record<string, string>
  /** The STARTTLS port of the gateway. */
  readonly port: number
  /** The self-signed certificate the gateway generated, for clients to trust. */
  readonly caFile: string
  /** A slixmpp client signed in as `name` on `resource` (stopped after the file's tests). */
  slix(
    name: string,
    resource: string,
    options?: Partial<ConstructorParameters<typeof SlixClient>[0]>,
  ): SlixClient
  /** Keeps a client to stop after the file's tests. */
  track<C extends { stop(): Promise<void> }>(client: C): C
}

export const useXmppServer = (names: readonly string[], env: Record<string, string> = {}) => {
  let harness: Harness | undefined
  let tokens: Record<string, string> = {}
  const clients: { stop(): Promise<void> }[] = []
  const started = (): Harness => {
    if (!harness) throw new Error('the XMPP test server is not started yet')
    return harness
  }
  beforeAll(async () => {
    harness = await startHarness({ env: { NARVARO_XMPP_PORT: '0', ...env } })
    ;({ tokens } = await addUsersFast(harness.server.services, names, { passwords: true }))
  }, 60_000)
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.stop()))
    await harness?.stop()
  })
  const server: XmppServer = {
    get harness() {
      return started()
    },
    get tokens() {
      return tokens
    },
    get port() {
      return started().server.xmpp!.port
    },
    get caFile() {
      return join(started().dataDir, 'xmpp-tls', 'self-signed-cert.pem')
    },
    slix: (name, resource, options = {}) =>
      server.track(
        new SlixClient({
          jid: `${at(name)}/${resource}`,
          password: passwordOf(name),
          port: server.port,
          caFile: server.caFile,
          ...options,
        }),
      ),
    track: (client) => (clients.push(client), client),
  }
  return server
}

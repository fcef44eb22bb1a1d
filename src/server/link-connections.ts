// A peer's direct connections: its channels for callers (mutual TLS on the announced port of each
// chosen interface, its key generated once into the data directory and pinned by the others), and one
// connection to each other Närvaro peer found on the link (`nrv=1` in its record), whose views of its
// person stand for that person here while it lasts; dialled again when the link shows the peer after
// it ended; composition root.
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { LinkPeople } from '../app/link/index.js'
import type { NarvaroServices } from '../app/services.js'
import type { ContactKind } from '../core/model/presence-model.js'
import { LinkChannelServer } from '../transports/link/link-channel.js'
import type { LinkInstance } from '../transports/link/link-browser.js'
import { LinkConnection, stateOfView } from '../transports/link/link-dialer.js'
import { FileLinkPins } from './link-pins.js'
import { tlsCredentials } from './tls-credentials.js'

export interface LinkConnectionsOptions {
  readonly dataDir: string
  readonly machine: string
  /** The chosen interfaces' addresses and netmasks: a channel listens on each. */
  readonly interfaces: readonly { readonly interfaceAddress: string; readonly netmask: string }[]
  readonly port: number
  readonly person: string
  readonly organizationId: string
  readonly instance: () => string
  readonly addressOf: (instance: string) => string
  readonly onChat: (from: string, body: string) => void
  readonly logger: Logger
}

/** Dials the Närvaro peers the link shows, one connection each. */
const dialer = (
  people: LinkPeople,
  keys: { cert: string; key: string; pins: FileLinkPins },
  options: LinkConnectionsOptions,
) => {
  const { cert, key, pins } = keys
  const { logger } = options
  const connections = new Map<string, LinkConnection | 'dialing'>()
  /** The instance of each person's address, as the link showed it. */
  const instances = new Map<string, string>()
  const dial = (seen: LinkInstance) => {
    if (seen.txt['nrv'] !== '1' || !seen.address || connections.has(seen.instance)) return
    instances.set(options.addressOf(seen.instance), seen.instance)
    connections.set(seen.instance, 'dialing')
    const ended = (reason: string) => {
      connections.delete(seen.instance)
      people.direct(seen.instance, undefined)
      logger.info({ peer: seen.instance, reason }, 'link: direct connection ended')
    }
    LinkConnection.open({
      ...{ address: seen.address, port: seen.port, cert, key, pins },
      ...{ instance: seen.instance, ownInstance: options.instance() },
      onView: (view) => people.direct(seen.instance, stateOfView(view)),
      onEnded: ended,
    }).then(
      (connection) => connections.set(seen.instance, connection),
      (error: unknown) => ended(String(error)),
    )
  }
  /** A chat or call to the person at `address`, over the connection to their peer. */
  const request = (address: string, kind: ContactKind) => {
    const instance = instances.get(address)
    const connection = instance === undefined ? undefined : connections.get(instance)
    return connection && connection !== 'dialing' ? connection.request(kind) : undefined
  }
  return { dial, connections, request }
}

export const startLinkConnections = async (
  services: NarvaroServices,
  people: LinkPeople,
  options: LinkConnectionsOptions,
) => {
  const { logger } = options
  const { cert, key } = await tlsCredentials(
    {
      ...{ gateway: 'link', certVariable: '', certFile: undefined, keyFile: undefined },
      directory: join(options.dataDir, 'link-tls'),
      domain: `${options.machine}.local`,
      warn: false,
    },
    logger,
  )
  const pins = new FileLinkPins(join(options.dataDir, 'link-pins.json'))
  const channels = await Promise.all(
    options.interfaces.map(({ interfaceAddress, netmask }) =>
      LinkChannelServer.start(services, {
        ...{ host: interfaceAddress, netmask, port: options.port },
        ...{ cert, key, pins },
        ...{ instance: options.instance, person: options.person, addressOf: options.addressOf },
        organizationId: options.organizationId,
        onChat: options.onChat,
        onError: services.onError,
      }),
    ),
  )
  const { dial, connections, request } = dialer(people, { cert, key, pins }, options)
  services.directRequests.attach(async (address, kind) => request(address, kind))
  return {
    dial,
    stop: async () => {
      services.directRequests.attach(undefined)
      for (const connection of connections.values())
        if (connection !== 'dialing') connection.close()
      await Promise.all(channels.map((channel) => channel.stop()))
    },
  }
}

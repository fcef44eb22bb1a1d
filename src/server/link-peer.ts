// Serverless mode (`narvaro peer`): a Närvaro server of one person on their own machine, serving the
// CLI and web app on loopback, which announces that person on the chosen interfaces of the link and
// takes the link-local people it finds (other peers, XEP-0174 clients, Avahi) as people of its own
// organization; composition root.
import { networkInterfaces } from 'node:os'
import { LinkPeople, addressOfInstance, linkSourceId } from '../app/link/index.js'
import type { NarvaroServices } from '../app/services.js'
import { linkOrganizationPolicy } from '../core/policy/policy-model.js'
import type { User } from '../ports/store.js'
import { LinkAdvertiser } from '../transports/link/link-advertiser.js'
import { LinkBrowser, type LinkInstance } from '../transports/link/link-browser.js'
import type { Logger } from 'pino'
import { ServerUplink } from '../transports/uplink/server-uplink.js'
import { startLinkConnections } from './link-connections.js'
import { displayNameOfTxt, stateOfTxt } from '../transports/link/link-txt.js'

/** The organization of a peer: everyone found on the link. */
export const linkDomain = 'local'
/** The watcher whose view is announced: everyone on the link (an address no instance maps to). */
export const linkAudienceAddress = `link+everyone@${linkDomain}`

export interface LinkOptions {
  /** The person's name on the link: `user` of `user@machine`. */
  readonly user: string
  /** The machine's name: `machine` of `user@machine` and of `machine.local`. */
  readonly machine: string
  /** Interface names to announce and browse on; never any other. */
  readonly interfaces: readonly string[]
  /** The port announced for direct connections (XEP-0174 link-local streams). */
  readonly port: number
  /** How often the link is asked who is there (ms). */
  readonly refreshMs: number
  /** The peer's data directory: its key, and the keys pinned to other peers. */
  readonly dataDir: string
  /** A chat message for the person from a link-local XMPP client (the peer's terminal shows it). */
  readonly onChat: (from: string, body: string) => void
  /** A Närvaro server to join, with the person's token there and the longest wait between tries. */
  readonly join?: { readonly server: string; readonly token: string; readonly retryMaxMs?: number }
  /** Something for the person's terminal (the joined server's comings and goings). */
  readonly onNotice?: (text: string) => void
}

export interface LinkPeer {
  readonly instance: string
  readonly address: string
  stop(): Promise<void>
}

/** The person's address at a peer of `options`. */
export const personAddressOf = (options: Pick<LinkOptions, 'user' | 'machine'>): string =>
  addressOfInstance(`${options.user}@${options.machine}`, linkDomain)

/**
 * The peer's person; on first start (`name` given) named as on the link, with the link's policy
 * for what everyone there sees by default.
 */
export const setUpPerson = async (
  services: NarvaroServices,
  address: string,
  name?: string,
): Promise<User> => {
  const person = (await services.store.getUserByAddress(address)) as User | undefined
  if (!person) throw new Error(`the peer's person ${address} is missing from its data directory`)
  if (name === undefined) return person
  await services.privacy.setOrganizationPolicy(person, linkOrganizationPolicy)
  return services.users.updateProfile(person, { displayName: name })
}

/** The IPv4 address and netmask of the interface `name`, or an error naming the ones there are. */
const ipv4Of = (name: string): { interfaceAddress: string; netmask: string } => {
  const found = networkInterfaces()[name]?.find((a) => a.family === 'IPv4')
  if (!found) {
    const names = Object.keys(networkInterfaces()).join(', ')
    throw new Error(`no interface ${name} with an IPv4 address (there are: ${names})`)
  }
  return { interfaceAddress: found.address, netmask: found.netmask }
}

/** How long the peer's own device publication lives; it is renewed at half of it. */
const deviceTtlMs = 600_000

/** Publishes the person's device on this machine, renewed while the peer runs. */
const onThisMachine = (services: NarvaroServices, person: User) => {
  const source = { id: 'peer', kind: 'device' as const }
  const publish = (active: boolean) =>
    services.presence
      .publishSource(person, source, { availability: 'available', active, ttlMs: deviceTtlMs })
      .catch(services.onError)
  void publish(true)
  const timer = setInterval(() => void publish(false), deviceTtlMs / 2)
  timer.unref()
  return {
    stop: () => {
      clearInterval(timer)
      services.presence.retractSource(person, source.id)
    },
  }
}

/** The people of the peer's person found through `sourceId` (the link, or a joined server). */
const peopleOf = (services: NarvaroServices, person: User, sourceId: string, ttlMs: number) =>
  new LinkPeople({
    store: services.store,
    users: services.users,
    presence: services.presence,
    subscriptions: services.subscriptions,
    person,
    domain: linkDomain,
    sourceId,
    ttlMs,
    now: () => services.clock.now(),
  })

/** The joined server, when there is one: the person's presence up, their people there down. */
const joinServer = (services: NarvaroServices, person: User, options: LinkOptions) => {
  if (!options.join) return undefined
  const renewMs = options.refreshMs
  const uplink = new ServerUplink(services, {
    ...options.join,
    person: { address: person.address, organizationId: person.organizationId },
    source: `peer-${options.machine}`,
    mirror: peopleOf(services, person, 'server', 3 * renewMs + 5000),
    renewMs,
    onNotice: options.onNotice ?? (() => undefined),
    onError: services.onError,
  })
  void uplink.start().catch(services.onError)
  return uplink
}

/** The browser on one chosen interface: what it finds goes to `people`, and to `onSeen`. */
const browse = (
  services: NarvaroServices,
  people: LinkPeople,
  where: { interfaceAddress: string; netmask: string },
  on: { ownInstance: () => string; onSeen: (seen: LinkInstance) => void; refreshMs: number },
) =>
  new LinkBrowser({
    interfaceAddress: where.interfaceAddress,
    netmask: where.netmask,
    refreshMs: on.refreshMs,
    get ownInstance() {
      return on.ownInstance()
    },
    onSeen: (seen) => {
      const state = stateOfTxt(seen.txt)
      if (!state) return
      const name = displayNameOfTxt(seen.txt, seen.instance)
      people.seen(seen.instance, name, state).catch(services.onError)
      on.onSeen(seen)
    },
    onGone: (gone) => people.gone(gone),
  })

/** The announcement of the person, as a Närvaro peer with a direct channel (`nrv=1`). */
const advertise = (
  services: NarvaroServices,
  person: User,
  options: LinkOptions,
  onRenamed: (name: string) => void,
) =>
  new LinkAdvertiser(services, {
    ...{ interfaces: options.interfaces, instance: `${options.user}@${options.machine}` },
    ...{ hostname: options.machine, port: options.port, extraTxt: { nrv: '1' } },
    person: person.address,
    audience: { address: linkAudienceAddress, organizationId: person.organizationId },
    onError: services.onError,
    onRenamed,
  })

/** Starts announcing the person and finding the others; `stop` says goodbye. */
export const startLink = async (
  services: NarvaroServices,
  options: LinkOptions,
  logger: Logger,
): Promise<LinkPeer> => {
  const address = personAddressOf(options)
  const person = await setUpPerson(services, address)
  let instance = `${options.user}@${options.machine}`
  // Each chosen interface browses and takes direct connections (its own subnet only).
  const chosen = options.interfaces.map(ipv4Of)
  const people = peopleOf(services, person, linkSourceId, 4 * options.refreshMs + 5000)
  const direct = await startLinkConnections(services, people, {
    ...{ dataDir: options.dataDir, machine: options.machine, port: options.port },
    ...{ interfaces: chosen, person: address },
    ...{ logger, onChat: options.onChat, organizationId: person.organizationId },
    instance: () => instance,
    addressOf: (name) => addressOfInstance(name, linkDomain),
  })
  const on = { ownInstance: () => instance, onSeen: direct.dial, refreshMs: options.refreshMs }
  const browsers = chosen.map((where) => browse(services, people, where, on))
  const advertiser = advertise(services, person, options, (name) => (instance = name))
  // The peer running is the person's device being on: available, until they say otherwise.
  const device = onThisMachine(services, person)
  advertiser.start()
  for (const browser of browsers) browser.start()
  const uplink = joinServer(services, person, options)
  return {
    get instance() {
      return instance
    },
    address,
    stop: async () => {
      await uplink?.stop()
      device.stop()
      await Promise.all(browsers.map((browser) => browser.stop()))
      people.clear()
      await direct.stop()
      await advertiser.stop()
    },
  }
}

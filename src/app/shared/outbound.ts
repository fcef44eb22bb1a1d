// Where the server may connect on its own (calendar URLs, webhook deliveries): the administrator's
// NARVARO_OUTBOUND_HOSTS. A host is allowed by its name, or by the address the connection is actually
// made to (checked in the connection's own DNS lookup, so a name that resolves elsewhere by the time
// it is used, DNS rebinding, cannot get around it); app layer.
import type { LookupAddress, LookupOptions } from 'node:dns'
import { lookup } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import { NarvaroError } from '../../core/errors.js'

/** A fetch as the server's own requests make it: OutboundPolicy.fetch, or the global fetch. */
export type Fetcher = (url: URL, init: RequestInit) => Promise<Response>

/** The `code` of the error a refused connection fails with (as the `cause` of fetch's error). */
export const outboundRefusedCode = 'NARVARO_OUTBOUND_REFUSED'

/** What a refused connection says: no URL, only the host and the setting that refused it. */
export const outboundRefusedMessage = (host: string): string =>
  `the server may not connect to ${host} (NARVARO_OUTBOUND_HOSTS)`

class OutboundRefused extends Error {
  readonly code = outboundRefusedCode
  constructor(host: string) {
    super(outboundRefusedMessage(host))
  }
}

/** The word of NARVARO_OUTBOUND_HOSTS for every public address, and the default. */
export const publicEntry = 'public'
export const defaultOutboundHosts = publicEntry

/**
 * Addresses that are not public: this host, link-local (cloud metadata at 169.254.169.254), private
 * and shared ranges, multicast and reserved ones. IPv4-mapped IPv6 addresses match their IPv4 range.
 */
const nonPublicRanges: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 127, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
]
const nonPublic = new BlockList()
for (const [prefix, bits, family] of nonPublicRanges) nonPublic.addSubnet(prefix, bits, family)

const bare = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase()
const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4')

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

export class OutboundPolicy {
  private readonly names = new Set<string>()
  private readonly suffixes: string[] = []
  private readonly addresses = new BlockList()
  private readonly any: boolean
  private readonly anyPublic: boolean
  private agent: Agent | undefined

  /**
   * Entries separated by commas or spaces: `public` (every public address: the default), `*`
   * (anywhere, internal addresses included), a host name (`calendar.example.com`), a domain and its
   * subdomains (`*.example.com`), an IP address, or a range (`10.0.0.0/8`, `fd00::/8`). Throws a
   * message naming the first entry it cannot read.
   */
  constructor(readonly text = defaultOutboundHosts) {
    const entries = text.split(/[\s,]+/).filter((e) => e !== '')
    if (entries.length === 0)
      throw new Error('needs at least one entry (public for any public host)')
    this.any = entries.includes('*')
    this.anyPublic = entries.some((e) => e.toLowerCase() === publicEntry)
    const listed = entries.filter((e) => e !== '*' && e.toLowerCase() !== publicEntry)
    for (const entry of listed) this.add(entry.toLowerCase())
  }

  private add(entry: string): void {
    const [prefix, bits, extra] = entry.split('/')
    if (bits !== undefined) {
      const size = Number(bits)
      const family = isIP(prefix ?? '')
      const max = family === 6 ? 128 : 32
      if (family === 0 || extra !== undefined || !/^\d+$/.test(bits) || size > max) {
        throw new Error(`${entry} is not an address range such as 10.0.0.0/8`)
      }
      this.addresses.addSubnet(prefix!, size, family === 6 ? 'ipv6' : 'ipv4')
    } else if (isIP(bare(entry)) !== 0) {
      this.addresses.addAddress(bare(entry), familyOf(bare(entry)))
    } else if (/^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/.test(entry)) {
      if (entry.startsWith('*.')) this.suffixes.push(entry.slice(1))
      else this.names.add(entry)
    } else {
      throw new Error(`${entry} is not a host name, *.domain, address or range`)
    }
  }

  private allowsName(host: string): boolean {
    const name = bare(host)
    return this.any || this.names.has(name) || this.suffixes.some((s) => name.endsWith(s))
  }

  private allowsAddress(address: string): boolean {
    const family = familyOf(address)
    if (this.addresses.check(address, family)) return true
    return this.anyPublic && !nonPublic.check(address, family)
  }

  /**
   * Whether a URL's host may be used, by name or (resolving it now) by every address it has. A
   * connection is checked again when it is made; this answers early, for a clear error on input.
   */
  async allows(url: URL): Promise<boolean> {
    const host = bare(url.hostname)
    if (this.allowsName(host)) return true
    if (isIP(host) !== 0) return this.allowsAddress(host)
    try {
      const found = await new Promise<LookupAddress[]>((resolve, reject) =>
        lookup(host, { all: true }, (error, list) => (error ? reject(error) : resolve(list))),
      )
      return found.length > 0 && found.every((a) => this.allowsAddress(a.address))
    } catch {
      // An unknown name is refused later with its own error; it is not the policy's to say.
      return true
    }
  }

  /** Refuses (`NRV_VALIDATION` on the field `url`) a URL whose host `allows` refuses. */
  async check(url: URL): Promise<void> {
    if (!(await this.allows(url))) {
      throw new NarvaroError('NRV_VALIDATION', outboundRefusedMessage(url.hostname), {
        details: { field: 'url' },
      })
    }
  }

  /** The connection's DNS lookup, keeping only allowed addresses of a host not allowed by name. */
  private lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    if (this.allowsName(hostname)) {
      lookup(hostname, options, callback as never)
      return
    }
    lookup(hostname, { ...options, all: true }, (error, list) => {
      if (error) return callback(error, [])
      const allowed = list.filter((a) => this.allowsAddress(a.address))
      if (allowed.length === 0) return callback(new OutboundRefused(hostname), [])
      if (options.all) return callback(null, allowed)
      return callback(null, allowed[0]!.address, allowed[0]!.family)
    })
  }

  /** `fetch` that connects only where this policy allows; an IP literal is checked before. */
  readonly fetch = async (url: URL | string, init: Parameters<typeof undiciFetch>[1] = {}) => {
    const target = typeof url === 'string' ? new URL(url) : url
    const host = bare(target.hostname)
    if (isIP(host) !== 0 && !this.allowsName(host) && !this.allowsAddress(host)) {
      throw new TypeError('fetch failed', { cause: new OutboundRefused(host) })
    }
    if (this.any) return undiciFetch(target, init)
    this.agent ??= new Agent({ connect: { lookup: this.lookup } })
    return undiciFetch(target, { ...init, dispatcher: this.agent })
  }

  async close(): Promise<void> {
    await this.agent?.close()
    this.agent = undefined
  }
}

/** The reason in a fetch error that this policy refused, else undefined. */
export const refusedReason = (error: unknown): string | undefined => {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  return cause?.code === outboundRefusedCode ? (cause as Error).message : undefined
}

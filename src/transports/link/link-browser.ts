// Browsing the link for presence services (DNS-SD `_presence._tcp`, RFC 6763, over multicast DNS,
// RFC 6762, with multicast-dns): on the chosen interface only, a PTR query now and every `refreshMs`;
// each instance's TXT record as it comes and changes; gone on a goodbye (TTL 0) or when it stopped
// answering for three queries (RFC 6762 §10.5, passive observation of failures), so a crashed peer
// disappears by itself. Packets that do not decode and records beyond DNS-SD's limits are ignored.
// Transport layer.
import makeMdns from 'multicast-dns'
import type { TxtRecord } from './link-txt.js'
import { maxTxtRecordBytes } from './link-txt.js'
import { sameSubnet } from './ciao-own-link.js'

export const presenceService = '_presence._tcp.local'

export interface LinkInstance {
  /** The instance name: `user@machine` for XEP-0174 peers. */
  readonly instance: string
  readonly host: string
  /** The host's IPv4 address, when an answer gave it. */
  readonly address?: string
  readonly port: number
  readonly txt: TxtRecord
}

export interface LinkBrowserOptions {
  /** The IPv4 address of the one interface to listen and ask on, and its netmask. */
  readonly interfaceAddress: string
  readonly netmask: string
  /** How often the link is asked again (ms); an instance silent for three of them is gone. */
  readonly refreshMs: number
  /** Our own instance, which is not reported. */
  readonly ownInstance: string
  /** Each answer that shows an instance (so that its presence is renewed), and each change. */
  readonly onSeen: (instance: LinkInstance) => void
  readonly onGone: (instance: string) => void
  readonly onWarning?: (error: unknown) => void
}

interface Known {
  /** The instance's own name (`alice@pronto._presence._tcp.local`), to ask for its records. */
  fqdn: string
  host?: string
  address?: string
  port?: number
  txt?: TxtRecord
  lastSeen: number
  reported?: boolean
}

type Record = { name: string; type: string; ttl?: number; data?: unknown }
type Packet = { answers?: Record[]; additionals?: Record[] }

/** `alice@pronto._presence._tcp.local` → `alice@pronto` (dots in the label come escaped). */
const instanceOf = (fqdn: string): string | undefined => {
  const suffix = `.${presenceService}`
  if (!fqdn.toLowerCase().endsWith(suffix)) return undefined
  return fqdn.slice(0, -suffix.length).replace(/\\(.)/g, '$1')
}

/** A TXT record's strings as keys and values (keys in lower case); undefined when over the limit. */
export const decodeTxt = (data: unknown): TxtRecord | undefined => {
  const strings = (Array.isArray(data) ? data : [data]).filter(
    (s): s is Buffer => Buffer.isBuffer(s) || typeof s === 'string',
  )
  const size = strings.reduce((sum, s) => sum + 1 + Buffer.byteLength(s), 0)
  if (size > maxTxtRecordBytes) return undefined
  const record: { [key: string]: string } = {}
  for (const raw of strings) {
    const text = raw.toString()
    const at = text.indexOf('=')
    const key = (at < 0 ? text : text.slice(0, at)).toLowerCase()
    // RFC 6763 §6.4: a key is printable ASCII without `=`; the first occurrence counts.
    if (!/^[\x20-\x3c\x3e-\x7e]{1,64}$/.test(key) || key in record) continue
    record[key] = at < 0 ? '' : text.slice(at + 1)
  }
  return record
}

export class LinkBrowser {
  private readonly known = new Map<string, Known>()
  private readonly mdns: ReturnType<typeof makeMdns>
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly options: LinkBrowserOptions) {
    this.mdns = makeMdns({ interface: options.interfaceAddress, bind: '0.0.0.0', loopback: true })
    this.mdns.on('response', (packet: Packet, from: { address: string }) => {
      // The socket hears every interface whose group membership anyone on the machine holds: only
      // the chosen interface's subnet counts.
      if (!sameSubnet(from.address, options.interfaceAddress, options.netmask)) return
      try {
        this.onResponse([...(packet.answers ?? []), ...(packet.additionals ?? [])])
      } catch (error) {
        options.onWarning?.(error)
      }
    })
    this.mdns.on('warning', (error: unknown) => options.onWarning?.(error))
    this.mdns.on('error', (error: unknown) => options.onWarning?.(error))
  }

  start(): void {
    this.ask()
    this.timer = setInterval(() => {
      this.expire()
      this.ask()
    }, this.options.refreshMs)
    this.timer.unref()
  }

  private ask(): void {
    this.mdns.query([{ name: presenceService, type: 'PTR' }])
  }

  private onResponse(records: readonly Record[]): void {
    const now = Date.now()
    const touched = new Set<string>()
    for (const record of records) {
      if (record.type !== 'PTR' || record.name.toLowerCase() !== presenceService) continue
      const instance = instanceOf(String(record.data))
      if (!instance || instance === this.options.ownInstance) continue
      if (record.ttl === 0) {
        this.forget(instance)
        continue
      }
      const known = this.known.get(instance) ?? { fqdn: String(record.data), lastSeen: now }
      known.lastSeen = now
      this.known.set(instance, known)
      touched.add(instance)
    }
    for (const record of records) this.take(record, touched, now)
    this.addresses(records)
    for (const instance of touched) this.report(instance)
  }

  /** IPv4 addresses (A records) of the hosts of known instances. */
  private addresses(records: readonly Record[]): void {
    for (const record of records) {
      if (record.type !== 'A' || typeof record.data !== 'string') continue
      for (const known of this.known.values())
        if (known.host?.toLowerCase() === record.name.toLowerCase()) known.address = record.data
    }
  }

  /** Asks for the SRV and TXT records of an instance whose answer came without them (Avahi's). */
  private resolve(known: Known): void {
    this.mdns.query([
      { name: known.fqdn, type: 'SRV' },
      { name: known.fqdn, type: 'TXT' },
    ])
  }

  /** An SRV or TXT record of an instance we know (or learn of through it). */
  private take(record: Record, touched: Set<string>, now: number): void {
    if (record.type !== 'SRV' && record.type !== 'TXT') return
    const instance = instanceOf(record.name)
    if (!instance || instance === this.options.ownInstance) return
    if (record.ttl === 0) return void this.forget(instance)
    const known = this.known.get(instance) ?? { fqdn: record.name, lastSeen: now }
    known.lastSeen = now
    if (record.type === 'SRV') {
      const srv = record.data as { target?: unknown; port?: unknown }
      if (typeof srv?.target === 'string') known.host = srv.target
      if (typeof srv?.port === 'number') known.port = srv.port
    } else {
      const txt = decodeTxt(record.data)
      if (txt) known.txt = txt
      else this.options.onWarning?.(new Error(`TXT record of ${instance} over the limit: ignored`))
    }
    this.known.set(instance, known)
    touched.add(instance)
  }

  /** Tells about an instance each time an answer shows it, once its SRV and TXT are known. */
  private report(instance: string): void {
    const known = this.known.get(instance)
    if (!known) return
    if (known.host === undefined || known.port === undefined || !known.txt)
      return this.resolve(known)
    known.reported = true
    const { host, port, txt, address } = known
    this.options.onSeen({ instance, host, port, txt, ...(address ? { address } : {}) })
  }

  private forget(instance: string): void {
    const known = this.known.get(instance)
    if (!known) return
    this.known.delete(instance)
    if (known.reported !== undefined) this.options.onGone(instance)
  }

  /** Instances that answered none of the last three queries are gone. */
  private expire(): void {
    const limit = Date.now() - 3 * this.options.refreshMs - 1000
    for (const [instance, known] of this.known) if (known.lastSeen < limit) this.forget(instance)
  }

  stop(): Promise<void> {
    clearInterval(this.timer)
    return new Promise((resolve) => this.mdns.destroy(() => resolve()))
  }
}

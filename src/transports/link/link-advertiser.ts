// Announcing the person on the link (DNS-SD `_presence._tcp` over multicast DNS, with ciao): the
// instance `user@machine` on the chosen interfaces only, its TXT record made from the view the core
// computes for "everyone on the link" (a watcher of the person's own organization with no rule of
// its own), changed as that view changes; nothing is announced while that view is offline, and a
// goodbye goes out when the peer stops. ciao resolves name conflicts (`alice@pronto (2)`).
// Transport layer.
import ciao, { type CiaoService, type Responder } from '@homebridge/ciao'
import type { NarvaroServices } from '../../app/services.js'
import type { WatcherSink } from '../../app/watching/index.js'
import type { View } from '../../core/policy/compute-view.js'
import { keepCiaoOnItsLink } from './ciao-own-link.js'
import { txtOfView, type TxtRecord } from './link-txt.js'

export interface LinkAdvertiserOptions {
  /** The interfaces to announce on (names such as `eth0`); never any other. */
  readonly interfaces: readonly string[]
  /** The instance name: `user@machine`. */
  readonly instance: string
  /** The host name announced with it (`machine` of `machine.local`). */
  readonly hostname: string
  /** The port of the peer's direct channel. */
  readonly port: number
  /** Keys added to every record (`nrv=1`: a Närvaro peer, with a direct channel). */
  readonly extraTxt?: TxtRecord
  /** The person, and the party whose view is the announcement (everyone on the link). */
  readonly person: string
  readonly audience: WatcherSink['watcher']
  readonly onError: (error: unknown) => void
  /** The instance name after a conflict made ciao choose another one. */
  readonly onRenamed?: (instance: string) => void
}

export class LinkAdvertiser implements WatcherSink {
  private readonly responder: Responder
  private service: CiaoService | undefined
  private announced = false
  /** Announcements are made one after another, in the order of the views. */
  private work: Promise<void> = Promise.resolve()

  constructor(
    private readonly services: NarvaroServices,
    private readonly options: LinkAdvertiserOptions,
  ) {
    keepCiaoOnItsLink()
    this.responder = ciao.getResponder({ interface: [...options.interfaces], disableIpv6: true })
  }

  get watcher(): WatcherSink['watcher'] {
    return this.options.audience
  }

  /** Starts announcing what the link's view of the person shows. */
  start(): void {
    this.services.hub.watch(this, this.options.person)
  }

  send(message: string): void {
    const parsed = JSON.parse(message) as { type?: string; view?: View }
    if (parsed.type === 'unwatched') return this.enqueue(undefined)
    if (!parsed.view) return
    const txt = txtOfView(parsed.view, this.options.instance)
    this.enqueue(txt && { ...txt, ...this.options.extraTxt })
  }

  private enqueue(txt: TxtRecord | undefined): void {
    this.work = this.work.then(() => this.announce(txt)).catch(this.options.onError)
  }

  private async announce(txt: TxtRecord | undefined): Promise<void> {
    if (!txt) {
      if (this.announced) await this.service!.end()
      this.announced = false
      return
    }
    if (!this.service) {
      this.service = this.responder.createService({
        name: this.options.instance,
        type: 'presence',
        port: this.options.port,
        hostname: this.options.hostname,
        txt,
      })
      this.service.on('name-change', (name: string) => this.options.onRenamed?.(name))
    }
    if (this.announced) return this.service.updateTxt(txt)
    this.service.updateTxt(txt, true)
    await this.service.advertise()
    this.announced = true
  }

  /** Says goodbye on the link (TTL 0 for every record) and stops. */
  async stop(): Promise<void> {
    this.services.hub.detach(this)
    await this.work
    await this.responder.shutdown()
  }
}

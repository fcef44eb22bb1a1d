// Which node holds which live source, for a cluster's presence engine: a connection's source lives on
// the node of its connection and ends with that node; a manual choice, a note, a schedule or an
// integration belongs to the whole cluster. Also what this node itself asserts, to send again after
// the change channel lost it. App layer.
import { connectionBound } from '../../core/aggregation/presentity.js'
import type { Publication } from '../../core/model/presence-model.js'

/** Sources of connections and devices are bound to the node they reached; the others are not. */
export const isNodeBound = (publication: Publication): boolean =>
  publication.expiresAt === connectionBound || publication.source.kind === 'device'

export class ClusterSources {
  /** address → source id → the node holding that node-bound source. */
  private readonly owners = new Map<string, Map<string, string>>()
  /** address → source id → what this node asserts for its own node-bound sources. */
  private readonly owned = new Map<string, Map<string, Publication>>()

  constructor(readonly node: string) {}

  ownerOf(address: string, sourceId: string): string | undefined {
    return this.owners.get(address)?.get(sourceId)
  }

  /** Whether this node holds a node-bound source of `address`. */
  holds(address: string): boolean {
    return this.owned.has(address)
  }

  /** Whether some node holds a node-bound source of `address`. */
  anyHolds(address: string): boolean {
    return this.owners.has(address)
  }

  /** A publication was applied from `node`: a node-bound one now lives there. */
  claim(address: string, publication: Publication, node: string): void {
    if (!isNodeBound(publication)) return this.release(address, publication.source.id)
    let sources = this.owners.get(address)
    if (!sources) this.owners.set(address, (sources = new Map()))
    sources.set(publication.source.id, node)
  }

  release(address: string, sourceId: string): void {
    const sources = this.owners.get(address)
    sources?.delete(sourceId)
    if (sources?.size === 0) this.owners.delete(address)
  }

  releaseAll(address: string): void {
    this.owners.delete(address)
  }

  /** Source ids of `address` held by `node`. */
  heldBy(address: string, node: string): Set<string> {
    const held = new Set<string>()
    for (const [sourceId, owner] of this.owners.get(address) ?? [])
      if (owner === node) held.add(sourceId)
    return held
  }

  /** Every node that holds some source. */
  holders(): Set<string> {
    const nodes = new Set<string>()
    for (const sources of this.owners.values()) for (const node of sources.values()) nodes.add(node)
    return nodes
  }

  /** Presentities with a source held by `node`. */
  addressesOf(node: string): string[] {
    const addresses: string[] = []
    for (const [address, sources] of this.owners) {
      for (const owner of sources.values()) {
        if (owner !== node) continue
        addresses.push(address)
        break
      }
    }
    return addresses
  }

  /** This node sends `publication`: remembered if node-bound, to be sent again after a loss. */
  assert(address: string, publication: Publication): void {
    const id = publication.source.id
    if (!isNodeBound(publication)) return this.unassert(address, id)
    let mine = this.owned.get(address)
    if (!mine) this.owned.set(address, (mine = new Map()))
    mine.set(id, publication)
  }

  unassert(address: string, sourceId: string): void {
    const mine = this.owned.get(address)
    mine?.delete(sourceId)
    if (mine?.size === 0) this.owned.delete(address)
  }

  unassertAll(address: string): void {
    this.owned.delete(address)
  }

  /** What this node asserts for each presentity, and the presentities the cluster thinks it holds. */
  assertions(): Map<string, Publication[]> {
    const all = new Map<string, Publication[]>()
    for (const address of this.addressesOf(this.node)) all.set(address, [])
    for (const [address, mine] of this.owned) all.set(address, [...mine.values()])
    return all
  }

  /** What this node asserts now for one presentity (none: it holds nothing of it). */
  assertionOf(address: string): Publication[] {
    return [...(this.owned.get(address)?.values() ?? [])]
  }
}

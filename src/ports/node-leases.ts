// The node leases port: which nodes of a cluster are alive. Each node renews its lease; a node whose
// lease ran out is dead, and exactly one survivor claims to end what it held.
export interface NodeLeases {
  /**
   * Renews `node`'s lease for `ttlMs` (by the shared clock of the leases, not this machine's), and
   * answers how long ago (ms) the leases began: since Redis last started empty, or the cluster began.
   * Until a lease has passed since then, the other nodes may not have renewed theirs yet.
   */
  renew(node: string, ttlMs: number): Promise<number>
  /** Nodes whose lease has not run out. */
  live(): Promise<string[]>
  /** Nodes whose lease ran out and that nobody has claimed yet. */
  expired(): Promise<string[]>
  /** True for the one caller that claims `node` first within `ttlMs`; its lease is gone then. */
  claim(node: string, ttlMs: number): Promise<boolean>
  /** Ends `node`'s lease at once (it stops in order). */
  release(node: string): Promise<void>
  /** The cluster's epoch: the first node's `proposed` one, kept while the leases are. */
  epoch(proposed: string): Promise<string>
  close(): Promise<void>
}

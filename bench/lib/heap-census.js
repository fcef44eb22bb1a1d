// What the server's heap holds, by kind of object: a heap snapshot written by the server itself
// (through its inspector) and counted here, so that two snapshots (before and after connecting the
// sessions) tell what each session costs and in which objects; bench support.
import { readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'

/**
 * Writes a heap snapshot of the target's first process and counts it: per kind of object (its
 * constructor or V8 type), how many and their own bytes. The snapshot file is removed after.
 * @param {import('./targets.js').Target} target
 */
export const heapCensus = async (target) => {
  const file = join(os.tmpdir(), `narvaro-bench-${process.pid}-${Date.now()}.heapsnapshot`)
  const { result, exceptionDetails } = await target.inspect('Runtime.evaluate', {
    expression: `require('node:v8').writeHeapSnapshot(${JSON.stringify(file)})`,
    includeCommandLineAPI: true,
    returnByValue: true,
  })
  if (exceptionDetails) throw new Error(`heap snapshot: ${exceptionDetails.text}`)
  try {
    return countSnapshot(JSON.parse(readFileSync(result.value, 'utf8')))
  } finally {
    rmSync(result.value, { force: true })
  }
}

/**
 * Counts a parsed heap snapshot by kind: `{ [kind]: { count, bytes } }`. Objects count by constructor;
 * arrays and V8's hidden objects (backing stores of Maps, Sets, arrays and properties) by what holds
 * them, e.g. `array ← Set.table`, so the census says whose storage grew.
 */
export const countSnapshot = (snapshot) => {
  const { nodes, strings } = snapshot
  const meta = snapshot.snapshot.meta
  const width = meta.node_fields.length
  const typeAt = meta.node_fields.indexOf('type')
  const nameAt = meta.node_fields.indexOf('name')
  const sizeAt = meta.node_fields.indexOf('self_size')
  const types = meta.node_types[0]
  const kindOf = (i) => {
    const type = types[nodes[i + typeAt]]
    return type === 'object' || type === 'closure' ? `${type} ${strings[nodes[i + nameAt]]}` : type
  }
  const holders = holdersOfStorage(snapshot, kindOf)
  const kinds = {}
  for (let i = 0; i < nodes.length; i += width) {
    const kind = holders.get(i) ?? kindOf(i)
    const entry = (kinds[kind] ??= { count: 0, bytes: 0 })
    entry.count++
    entry.bytes += nodes[i + sizeAt]
  }
  return kinds
}

/** For each array or hidden node, `type ← holder kind.edge name` of its first strong holder. */
const holdersOfStorage = (snapshot, kindOf) => {
  const { nodes, edges, strings } = snapshot
  const meta = snapshot.snapshot.meta
  const width = meta.node_fields.length
  const edgeWidth = meta.edge_fields.length
  const countAt = meta.node_fields.indexOf('edge_count')
  const typeAt = meta.node_fields.indexOf('type')
  const edgeTypes = meta.edge_types[0]
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) =>
    meta.edge_fields.indexOf(f),
  )
  const storage = new Set(['array', 'hidden'].map((t) => meta.node_types[0].indexOf(t)))
  const holders = new Map()
  let edge = 0
  for (let i = 0; i < nodes.length; i += width) {
    const end = edge + nodes[i + countAt] * edgeWidth
    for (; edge < end; edge += edgeWidth) {
      const to = edges[edge + toAt]
      const edgeType = edgeTypes[edges[edge + edgeTypeAt]]
      if (edgeType === 'weak' || holders.has(to) || !storage.has(nodes[to + typeAt])) continue
      const name =
        edgeType === 'element' || edgeType === 'hidden'
          ? `[${edgeType}]`
          : strings[edges[edge + edgeNameAt]]
      holders.set(to, `${types(nodes[to + typeAt], meta)} ← ${kindOf(i)}.${name}`)
    }
  }
  return holders
}

const types = (type, meta) => meta.node_types[0][type]

/** The kinds that grew most between two censuses, per `per` (sessions): bytes and objects each. */
export const growthPer = (before, after, per, top = 20) =>
  Object.entries(after)
    .map(([kind, a]) => {
      const b = before[kind] ?? { count: 0, bytes: 0 }
      return { kind, bytes: (a.bytes - b.bytes) / per, count: (a.count - b.count) / per }
    })
    .filter((g) => g.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top)

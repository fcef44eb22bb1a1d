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
 * what has no telling name (arrays, V8's hidden objects such as the backing stores of Maps and Sets,
 * strings, numbers, plain objects, anonymous functions and their contexts) by what holds it, and a Map's, Set's or
 * Array's storage by what holds that, e.g. `array ← Set.table ← Object.sinks`, so the census says
 * whose storage grew.
 */
export const countSnapshot = (snapshot) => {
  const { nodes, strings } = snapshot
  const meta = snapshot.snapshot.meta
  const width = meta.node_fields.length
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) =>
    meta.node_fields.indexOf(f),
  )
  const types = meta.node_types[0]
  const kindOf = (i) => {
    const type = types[nodes[i + typeAt]]
    return type === 'object' || type === 'closure' ? `${type} ${strings[nodes[i + nameAt]]}` : type
  }
  const holders = firstHolders(snapshot)
  const nameless = (i) => {
    const type = types[nodes[i + typeAt]]
    const name = strings[nodes[i + nameAt]]
    if (
      ['array', 'hidden', 'object shape', 'string', 'concatenated string', 'number'].includes(type)
    )
      return true
    if (type === 'closure') return name === ''
    return type === 'object' && ['Object', 'system / Context', 'Map', 'Set', 'Array'].includes(name)
  }
  const describe = (i, depth) => {
    const holder = holders.node[i / width]
    if (depth === 0 || !nameless(i) || holder < 0) return kindOf(i)
    return `${kindOf(i)} ← ${describe(holder, depth - 1)}.${holders.edge[i / width]}`
  }
  const kinds = {}
  for (let i = 0; i < nodes.length; i += width) {
    const entry = (kinds[describe(i, 3)] ??= { count: 0, bytes: 0 })
    entry.count++
    entry.bytes += nodes[i + sizeAt]
  }
  return kinds
}

/** Each node's first strong holder (a node index, -1 for none) and the name of the edge from it. */
const firstHolders = (snapshot) => {
  const { nodes, edges, strings } = snapshot
  const meta = snapshot.snapshot.meta
  const width = meta.node_fields.length
  const edgeWidth = meta.edge_fields.length
  const countAt = meta.node_fields.indexOf('edge_count')
  const edgeTypes = meta.edge_types[0]
  const [typeAt, nameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) =>
    meta.edge_fields.indexOf(f),
  )
  const node = new Int32Array(nodes.length / width).fill(-1)
  const edge = new Array(node.length)
  let at = 0
  for (let i = 0; i < nodes.length; i += width) {
    const end = at + nodes[i + countAt] * edgeWidth
    for (; at < end; at += edgeWidth) {
      const to = edges[at + toAt] / width
      const type = edgeTypes[edges[at + typeAt]]
      if (type === 'weak' || type === 'shortcut' || node[to] >= 0) continue
      node[to] = i
      const name =
        type === 'element' || type === 'hidden' ? '' : String(strings[edges[at + nameAt]])
      edge[to] = /^\d*$/.test(name) ? '[]' : name
    }
  }
  return { node, edge }
}

/** The kinds that grew most between two censuses, per `per` (sessions): bytes and objects each. */
export const growthPer = (before, after, per, top = 30) =>
  Object.entries(after)
    .map(([kind, a]) => {
      const b = before[kind] ?? { count: 0, bytes: 0 }
      return { kind, bytes: (a.bytes - b.bytes) / per, count: (a.count - b.count) / per }
    })
    .filter((g) => g.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top)

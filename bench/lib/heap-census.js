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

/** Counts a parsed heap snapshot by kind: `{ [kind]: { count, bytes } }`. */
export const countSnapshot = (snapshot) => {
  const fields = snapshot.snapshot.meta.node_fields
  const types = snapshot.snapshot.meta.node_types[0]
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const { nodes, strings } = snapshot
  const kinds = {}
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]]
    const name = strings[nodes[i + nameAt]]
    // Objects by constructor; strings, arrays, code and the rest by their V8 type.
    const kind = type === 'object' || type === 'closure' ? `${type} ${name}` : type
    const entry = (kinds[kind] ??= { count: 0, bytes: 0 })
    entry.count++
    entry.bytes += nodes[i + sizeAt]
  }
  return kinds
}

/** The kinds that grew most between two censuses, per `per` (sessions): bytes and objects each. */
export const growthPer = (before, after, per, top = 15) =>
  Object.entries(after)
    .map(([kind, a]) => {
      const b = before[kind] ?? { count: 0, bytes: 0 }
      return { kind, bytes: (a.bytes - b.bytes) / per, count: (a.count - b.count) / per }
    })
    .filter((g) => g.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top)

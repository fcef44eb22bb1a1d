// The event loop's long tasks in a V8 CPU profile: runs of busy samples (no `(idle)` between them)
// longer than a threshold, each with what it spent its time in, so a stall in a phase can be named
// (garbage collection, a function of Närvaro's, or the process not running at all); bench support.
import { relative } from 'node:path'
import { repoRoot } from './targets.js'

/** Where a profile frame's code is: `path:line` from the repository's root, or '' (native code). */
export const whereOf = (frame) => {
  const url = frame.url ? relative(repoRoot, frame.url.replace(/^file:\/\//, '')) : ''
  return url ? `${url}:${frame.lineNumber + 1}` : ''
}

/** Each node id of a profile → its parent's id. */
export const parentsOf = (profile) => {
  const parent = new Map()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)
  return parent
}

const placeOf = (frame) => {
  const where = whereOf(frame)
  return where ? `${frame.functionName || '(anonymous)'} ${where}` : ''
}

/** For each node id: its own frame's label and the innermost Närvaro (dist/) frame above it. */
const labelsOf = (profile) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = parentsOf(profile)
  const labels = new Map()
  for (const node of profile.nodes) {
    let ours = ''
    for (let at = node.id; at !== undefined && !ours; at = parent.get(at)) {
      const place = placeOf(byId.get(at).callFrame)
      if (place.includes(' dist/')) ours = place
    }
    const frame = node.callFrame
    labels.set(node.id, { self: frame.functionName || placeOf(frame) || '(anonymous)', ours })
  }
  return labels
}

const top = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`)

/**
 * Busy runs of at least `minMs` between `fromMs` and `toMs` (profile clock, ms). Each has its start,
 * its wall time, the longest gap between two samples (a gap far above the sampling interval means
 * the process was not running), the garbage collector's share, and the top self and Närvaro frames.
 */
export const longTasks = (profile, { fromMs = -Infinity, toMs = Infinity, minMs = 20 } = {}) => {
  const labels = labelsOf(profile)
  const idle = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id),
  )
  const deltas = profile.timeDeltas ?? []
  const tasks = []
  let task
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i] ?? 0
    const us = deltas[i + 1] ?? 0
    const id = profile.samples[i]
    if (at / 1000 < fromMs || at / 1000 > toMs || idle.has(id)) {
      if (task && task.us >= minMs * 1000) tasks.push(task)
      task = undefined
      continue
    }
    task ??= { atMs: at / 1000, us: 0, maxGapUs: 0, gcUs: 0, self: new Map(), ours: new Map() }
    task.us += us
    task.maxGapUs = Math.max(task.maxGapUs, us)
    const { self, ours } = labels.get(id)
    if (self === '(garbage collector)') task.gcUs += us
    task.self.set(self, (task.self.get(self) ?? 0) + us)
    if (ours) task.ours.set(ours, (task.ours.get(ours) ?? 0) + us)
  }
  if (task && task.us >= minMs * 1000) tasks.push(task)
  return tasks.map((t) => ({
    atMs: t.atMs,
    ms: t.us / 1000,
    maxGapMs: t.maxGapUs / 1000,
    gcMs: t.gcUs / 1000,
    topSelf: top(t.self, 4),
    topOurs: top(t.ours, 3),
  }))
}

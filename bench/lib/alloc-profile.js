// Where the server allocates during a phase: V8's sampling heap profiler, kept on through the
// phase with the objects that garbage collection already took included, so the profile is of all
// that was allocated (the garbage too), by function; bench support.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fmt, renderTable } from './report.js'
import { inspectorSession } from './targets.js'

/** Profiles go to the temp directory: bench/results/ keeps only JSON results (git-ignored). */
export const profileDir = join(os.tmpdir(), 'narvaro-bench-profiles')

/** A sample about every this many bytes allocated. */
const samplingInterval = 16 * 1024

/**
 * Starts sampling the target's allocations; `stop()` gives the total and the top functions. With
 * `survivors` (`--survivors`), only what outlived the young generation is counted (objects a
 * scavenge took are left out): what is copied and promoted, the collector's cost per change.
 */
export const sampleAllocations = async (target, { survivors = false } = {}) => {
  const session = await inspectorSession(target.inspectorUrl)
  await session.call('HeapProfiler.enable')
  await session.call('HeapProfiler.startSampling', {
    samplingInterval,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !survivors,
  })
  return async (top = 15) => {
    const { profile } = await session.call('HeapProfiler.stopSampling')
    session.close()
    // The whole profile, for DevTools' Memory panel (Load profile).
    mkdirSync(profileDir, { recursive: true })
    const file = join(
      profileDir,
      `ALLOC.${new Date().toISOString().replace(/[:.]/g, '-')}.heapprofile`,
    )
    writeFileSync(file, JSON.stringify(profile))
    return { file, survivors, ...summarize(profile, top) }
  }
}

/** Bytes allocated in all, and per function (self, not callees), the largest first. */
const summarize = (profile, top) => {
  const bySite = new Map()
  let total = 0
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame
    const site = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize)
    total += node.selfSize
    for (const child of node.children) walk(child)
  }
  walk(profile.head)
  const sites = [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([site, bytes]) => ({ site, bytes }))
  return { totalBytes: total, sites }
}

/**
 * A table of a summary: the total, per 1,000 of `count` (`unit`: what was counted), and the top
 * functions by the bytes they allocated themselves.
 */
export const allocationsTable = (summary, during, count, unit) => {
  const perK = summary.totalBytes / Math.max(1, count / 1000)
  return renderTable(
    `Närvaro ${summary.survivors ? 'allocations that outlived the young generation' : 'allocations'} in ${during} (sampled): ${fmt(summary.totalBytes / 1024 / 1024, 1)} MB, ${fmt(perK / 1024, 1)} KB per 1,000 ${unit}; by function (self)`,
    ['function', 'KB', 'share'],
    summary.sites.map((s) => [
      s.site,
      fmt(s.bytes / 1024, 0),
      `${fmt((s.bytes / summary.totalBytes) * 100, 1)} %`,
    ]),
  )
}

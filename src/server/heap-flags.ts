// The V8 heap settings the server is meant to run with (docs/deploy.md, "Node flags"). A presence
// server makes many objects that live for milliseconds to seconds (a change, its views and frames, a
// page of an answer). V8 starts the young generation at 1 MB semi-spaces and grows them only when
// much of it survives, so under a steady load of changes they stayed at 1 to 4 MB: a burst of 5,000
// changes was collected in about 18 scavenges, each copying what was in flight at that moment. From
// 8 MB (at most 64) the same burst takes a few, and more of each change's short-lived state dies
// before one; larger minimums made each scavenge pause longer under steady load. What does outlive
// the young generation (each presentity's latest presence, views and answer entries, replaced at its
// next change) makes the old generation grow steadily; V8 then sizes the next collection's limit
// close to what is live (about 1.1 times), so a heap of 100 MB was marked and compacted every 3 to 4
// seconds, 30 ms and more each time. Letting the old generation double before it is collected makes
// those pauses rare, for a higher peak of memory. V8's memory reducer, once it thinks the process
// idle, marks and compacts the whole old generation three times half a second apart; after a lull
// those collections ran into the next minute's changes (steps of 16 to 28 ms, 60 to 120 ms of CPU
// each), and the second and third freed under half a megabyte of 65 in every trace. One collection
// from it keeps what an idle server gives back. V8 12 (Node 22) replaced its switch to one
// collection (`--memory-reducer-single-gc`) with a count, and Node refuses an option its V8 lacks,
// so the flag is chosen by the V8 the server runs on; server layer.

/** The memory reducer's one collection, as the V8 of version `v8Version` spells it. */
const oneReducerCollection = (v8Version: string): string =>
  Number(v8Version.split('.')[0]) >= 12
    ? '--memory-reducer-gc-count=1'
    : '--memory-reducer-single-gc'

/** The Node flags of the heap a server on V8 `v8Version` runs with. */
export const heapFlagsFor = (v8Version: string): readonly string[] => [
  '--min-semi-space-size=8',
  '--max-semi-space-size=64',
  '--heap-growing-percent=100',
  oneReducerCollection(v8Version),
]

/** The Node flags of the heap the server runs with, on this process's V8. */
export const heapFlags: readonly string[] = heapFlagsFor(process.versions.v8)

/**
 * The V8 setting a flag is part of, as a pattern of its options' names: both semi-space bounds
 * are one setting (`--max-semi-space-size=64`: `(min|max)-semi-space-size`), so an operator's own
 * bound is never paired with one of ours that contradicts it; so are the memory reducer's two
 * spellings of how many collections it makes.
 */
const settingOf = (flag: string): string =>
  flag
    .slice(2)
    .split('=')[0]!
    .replace(/^(min|max)-semi-space-size$/, '(min|max)-semi-space-size')
    .replace(/^memory-reducer-(single-gc|gc-count)$/, 'memory-reducer-(single-gc|gc-count)')

/**
 * Whether `arg` gives an option of `setting`, in either spelling (dashes or underscores), or turns
 * it off (`--no-memory-reducer-single-gc`).
 */
const sets = (setting: string, arg: string): boolean =>
  new RegExp(`^--(no[-_])?${setting.replace(/-/g, '[-_]')}(=|$)`).test(arg)

/**
 * The server's heap flags that Node was not started with (on its command line or in NODE_OPTIONS):
 * an operator's own setting is kept (either semi-space bound given keeps both of ours out).
 */
export const missingHeapFlags = (execArgv: readonly string[], nodeOptions = ''): string[] => {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)]
  return heapFlags.filter((flag) => !given.some((arg) => sets(settingOf(flag), arg)))
}

/** The Node flags of a process that runs the server: the given ones, with the heap's it lacks. */
export const serverExecArgv = (execArgv: readonly string[], nodeOptions = ''): string[] => [
  ...execArgv,
  ...missingHeapFlags(execArgv, nodeOptions),
]

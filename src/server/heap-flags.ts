// The V8 heap settings the server is meant to run with (docs/deploy.md, "Node flags"). A presence
// server makes many objects that live for milliseconds to seconds (a change, its views and frames, a
// page of an answer); V8's default young generation (16 MB semi-spaces) promotes many of them, and
// the old generation's collections then pause the event loop. 64 MB semi-spaces let them die young.
// What does outlive them (each presentity's latest presence, views and answer entries, replaced at
// its next change) makes the old generation grow steadily; V8 then sizes the next collection's limit
// close to what is live (about 1.1 times), so a heap of 100 MB was marked and compacted every 3 to 4
// seconds, 30 ms and more each time. Letting the old generation double before it is collected makes
// those pauses rare, for a higher peak of memory; server layer.

/** The Node flags of the heap the server runs with. */
export const heapFlags: readonly string[] = [
  '--max-semi-space-size=64',
  '--heap-growing-percent=100',
]

/** The V8 option a flag sets (`--max-semi-space-size=64`: `max-semi-space-size`). */
const optionOf = (flag: string): string => flag.slice(2).split('=')[0]!

/** Whether `arg` sets V8's `option`, in either spelling (dashes or underscores). */
const sets = (option: string, arg: string): boolean =>
  new RegExp(`^--${option.replace(/-/g, '[-_]')}(=|$)`).test(arg)

/**
 * The server's heap flags that Node was not started with (on its command line or in NODE_OPTIONS):
 * an operator's own setting of an option is kept.
 */
export const missingHeapFlags = (execArgv: readonly string[], nodeOptions = ''): string[] => {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)]
  return heapFlags.filter((flag) => !given.some((arg) => sets(optionOf(flag), arg)))
}

/** The Node flags of a process that runs the server: the given ones, with the heap's it lacks. */
export const serverExecArgv = (execArgv: readonly string[], nodeOptions = ''): string[] => [
  ...execArgv,
  ...missingHeapFlags(execArgv, nodeOptions),
]

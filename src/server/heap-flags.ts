// The V8 heap setting the server is meant to run with (docs/deploy.md, "Node flags"). A presence
// server makes many objects that live for milliseconds to seconds (a change, its views and frames, a
// page of an answer); V8's default young generation (16 MB semi-spaces) promotes many of them, and
// the old generation's collections then pause the event loop. 64 MB semi-spaces let them die young;
// server layer.

/** The young generation the server runs with: 64 MB semi-spaces. */
export const youngGenerationFlag = '--max-semi-space-size=64'

const setsYoungGeneration = (arg: string): boolean =>
  /^--max[-_]semi[-_]space[-_]size(=|$)/.test(arg)

/** Whether Node was started with a young generation size (on its command line or in NODE_OPTIONS). */
export const hasYoungGenerationSetting = (execArgv: readonly string[], nodeOptions = ''): boolean =>
  [...execArgv, ...nodeOptions.split(/\s+/)].some(setsYoungGeneration)

/** The Node flags of a process that runs the server: the given ones, with the young generation's unless set. */
export const serverExecArgv = (execArgv: readonly string[], nodeOptions = ''): string[] =>
  hasYoungGenerationSetting(execArgv, nodeOptions)
    ? [...execArgv]
    : [...execArgv, youngGenerationFlag]

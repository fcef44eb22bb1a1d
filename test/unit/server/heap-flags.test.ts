// Unit: the server's young-generation flag is added to a server process's Node flags unless one is
// already given, on the command line or in NODE_OPTIONS, in either spelling.
import { describe, expect, it } from 'vitest'
import {
  hasYoungGenerationSetting,
  serverExecArgv,
  youngGenerationFlag,
} from '../../../src/server/heap-flags.js'

describe('the server heap flags', () => {
  it('adds the young generation flag to the flags given', () => {
    expect(serverExecArgv([])).toEqual([youngGenerationFlag])
    expect(serverExecArgv(['--inspect'], '--enable-source-maps')).toEqual([
      '--inspect',
      youngGenerationFlag,
    ])
  })

  it("keeps an operator's own setting, from the command line or NODE_OPTIONS", () => {
    expect(serverExecArgv(['--max-semi-space-size=32'])).toEqual(['--max-semi-space-size=32'])
    expect(serverExecArgv([], '--trace-gc --max_semi_space_size=8')).toEqual([])
    expect(hasYoungGenerationSetting(['--max-semi-space-size', '32'])).toBe(true)
    expect(hasYoungGenerationSetting(['--max-old-space-size=4096'], '--semi-space=1')).toBe(false)
  })
})

// Unit: the server's heap flags are added to a server process's Node flags, each unless the operator
// already gave that option, on the command line or in NODE_OPTIONS, in either spelling.
import { describe, expect, it } from 'vitest'
import {
  heapFlags,
  heapFlagsFor,
  missingHeapFlags,
  serverExecArgv,
} from '../../../src/server/heap-flags.js'

describe('the server heap flags', () => {
  it("are the young generation, the old generation's growth and the memory reducer", () => {
    const common = [
      '--min-semi-space-size=8',
      '--max-semi-space-size=64',
      '--heap-growing-percent=100',
    ]
    // Node 20's V8 has a switch to one collection; V8 12 (Node 22) and later a count.
    expect(heapFlagsFor('11.3.244.8-node.38')).toEqual([...common, '--memory-reducer-single-gc'])
    expect(heapFlagsFor('12.4.254.21-node.57')).toEqual([...common, '--memory-reducer-gc-count=1'])
    expect(heapFlagsFor('13.6.233.17-node.63')).toEqual([...common, '--memory-reducer-gc-count=1'])
    expect(heapFlags).toEqual(heapFlagsFor(process.versions.v8))
  })

  it('are added to the flags given', () => {
    expect(serverExecArgv([])).toEqual([...heapFlags])
    expect(serverExecArgv(['--inspect'], '--enable-source-maps')).toEqual([
      '--inspect',
      ...heapFlags,
    ])
  })

  it("keep an operator's own setting of each, from the command line or NODE_OPTIONS", () => {
    const reducer = heapFlags[3]!
    expect(serverExecArgv(['--max-semi-space-size=32'])).toEqual([
      '--max-semi-space-size=32',
      '--heap-growing-percent=100',
      reducer,
    ])
    expect(serverExecArgv([], '--trace-gc --max_semi_space_size=8')).toEqual([
      '--heap-growing-percent=100',
      reducer,
    ])
    // One semi-space bound of the operator's keeps both of ours out: our minimum of 8 beside their
    // maximum of 4 would contradict it.
    expect(serverExecArgv(['--max-semi-space-size=4'])).toEqual([
      '--max-semi-space-size=4',
      '--heap-growing-percent=100',
      reducer,
    ])
    expect(serverExecArgv(['--min_semi_space_size=2'])).toEqual([
      '--min_semi_space_size=2',
      '--heap-growing-percent=100',
      reducer,
    ])
    expect(
      serverExecArgv([
        '--heap_growing_percent=50',
        '--max-semi-space-size',
        '32',
        '--no-memory-reducer-single-gc',
      ]),
    ).toEqual([
      '--heap_growing_percent=50',
      '--max-semi-space-size',
      '32',
      '--no-memory-reducer-single-gc',
    ])
    // Turned off in the other spelling, or given as a count, it is the operator's too.
    expect(missingHeapFlags(['--no_memory_reducer_single_gc'])).toEqual(heapFlags.slice(0, 3))
    expect(missingHeapFlags(['--memory-reducer-gc-count=3'])).toEqual(heapFlags.slice(0, 3))
    expect(missingHeapFlags(['--max-old-space-size=4096'], '--semi-space-size=1')).toEqual([
      ...heapFlags,
    ])
  })
})

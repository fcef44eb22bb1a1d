// Keeps docs/errors.md in step with the one table of error codes in src/core/errors.ts.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { errorTable } from '../../src/core/errors.js'

describe('docs/errors.md', () => {
  it('lists every error code with its status and meaning, and nothing else', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| `(NRV_[A-Z_]+)` +\| (\d{3}) +\| (.+?) +\|$/gm)].map((m) => [
      m[1],
      Number(m[2]),
      m[3],
    ])
    const table = Object.entries(errorTable).map(([code, { status, meaning }]) => [
      code,
      status,
      meaning,
    ])
    expect(rows).toEqual(table)
  })
})

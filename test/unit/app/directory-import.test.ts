// Unit tests of reading and checking directory import rows: CSV headers, lists, tags, working hours.
import { describe, expect, it } from 'vitest'
import { parseCsvImport, parseJsonImport } from '../../../src/app/directory/directory-import.js'
import { checkImportRow } from '../../../src/app/directory/directory-import-row.js'

const domain = 'acme.example'
const check = (values: Record<string, unknown>) => checkImportRow({ row: 1, values }, domain)

describe('reading an import', () => {
  it('accepts the column names in any case, with spaces, dashes or underscores', () => {
    const parsed = parseCsvImport('Address,display name,TIME_ZONE,working-hours\nann,Ann,UTC,\n')
    expect(parsed.problems).toEqual([])
    expect(parsed.rows).toEqual([
      { row: 1, line: 2, values: { address: 'ann', displayName: 'Ann', timeZone: 'UTC' } },
    ])
  })

  it('skips empty lines, strips a byte-order mark and counts rows without the header', () => {
    const parsed = parseCsvImport('\uFEFFaddress\n\nann\n\nbob\n')
    expect(parsed.rows.map((r) => [r.row, r.values.address])).toEqual([
      [1, 'ann'],
      [2, 'bob'],
    ])
  })

  it('an empty file is no rows and no problem', () => {
    expect(parseCsvImport('')).toEqual({ rows: [], problems: [], fatal: false })
  })

  it('JSON rows with an unknown field or of the wrong shape are problems of their row', () => {
    const parsed = parseJsonImport([
      { address: 'a' },
      'b',
      { address: 'c', nick: 'C' },
      { address: 'd', title: null },
    ])
    expect(parsed.rows.map((r) => r.row)).toEqual([1, 4])
    expect(parsed.rows[1]?.values).toEqual({ address: 'd' })
    expect(parsed.problems.map((p) => [p.row, p.code])).toEqual([
      [2, 'invalid-row'],
      [3, 'unknown-field'],
    ])
  })
})

describe('checking a row', () => {
  it('completes a local part with the domain and normalizes tags', () => {
    expect(check({ address: ' Ann ', tags: 'Swedish; go,GO', teams: 'A team; B' })).toEqual({
      person: { address: 'ann@acme.example', tags: ['swedish', 'go'], teams: ['A team', 'B'] },
    })
  })

  it('reads working hours as compact spans or as the JSON of the profile API', () => {
    const compact = check({
      address: 'a',
      workingHours: 'mon-wed+fri 08:00-12:00; sat 10:00 - 14:00',
    })
    expect(compact).toEqual({
      person: {
        address: 'a@acme.example',
        workingHours: [
          { days: ['mon', 'tue', 'wed', 'fri'], start: '08:00', end: '12:00' },
          { days: ['sat'], start: '10:00', end: '14:00' },
        ],
      },
    })
    const json = '[{"days":["sun"],"start":"22:00","end":"06:00"}]'
    expect(check({ address: 'a', workingHours: json })).toMatchObject({
      person: { workingHours: JSON.parse(json) },
    })
    // One grammar with the CLI: a range across the week's end is the days it covers.
    expect(check({ address: 'a', workingHours: 'fri-mon 08:00-12:00' })).toMatchObject({
      person: {
        workingHours: [{ days: ['mon', 'fri', 'sat', 'sun'], start: '08:00', end: '12:00' }],
      },
    })
    for (const bad of [
      'mon-fri-sat 08:00-12:00',
      'mon 8-12',
      'mon 08:00-25:00',
      '[{"days":[]}]',
      '[',
      'always',
    ]) {
      expect(check({ address: 'a', workingHours: bad }), bad).toMatchObject({
        problems: [{ field: 'workingHours', code: 'invalid-working-hours' }],
      })
    }
  })

  it('reports every bad field of a row, not only the first', () => {
    const result = check({
      address: 'x@other.example',
      title: 't'.repeat(201),
      tags: ['ok', 'not ok'],
      teams: 5,
      timeZone: 'Nowhere/City',
    })
    expect('problems' in result && result.problems.map((p) => [p.field, p.code])).toEqual([
      ['address', 'other-organization'],
      ['title', 'too-long'],
      ['tags', 'invalid-tag'],
      ['teams', 'invalid-type'],
      ['timeZone', 'unknown-time-zone'],
    ])
  })

  it('a row without an address, or with a malformed one, is reported', () => {
    expect(check({ displayName: 'X' })).toMatchObject({
      problems: [{ field: 'address', code: 'required' }],
    })
    expect(check({ address: 'a b' })).toMatchObject({
      problems: [{ field: 'address', code: 'invalid-address' }],
    })
  })
})

// Reading what the link says: TXT records (keys, the size limit), their state as a publication,
// display names, and the stable addresses of link-local instances.
import { describe, expect, it } from 'vitest'
import { addressOfInstance } from '../../../src/app/link/link-people.js'
import { decodeTxt } from '../../../src/transports/link/link-browser.js'
import { displayNameOfTxt, stateOfTxt } from '../../../src/transports/link/link-txt.js'

describe('link-local records', () => {
  it('decodes TXT strings into lower-case keys, the first of each, and refuses one too large', () => {
    const txt = decodeTxt([
      Buffer.from('TxtVers=1'),
      Buffer.from('status=dnd'),
      Buffer.from('status=away'),
      Buffer.from('flag'),
      Buffer.from('=novalue'),
    ])
    expect(txt).toEqual({ txtvers: '1', status: 'dnd', flag: '' })
    const big = Array.from({ length: 11 }, (_, i) => Buffer.from(`k${i}=${'x'.repeat(120)}`))
    expect(decodeTxt(big)).toBeUndefined()
  })

  it('reads status and message as a publication; unknown status is available; txtvers 2 is not ours', () => {
    expect(stateOfTxt({ status: 'dnd', msg: 'on a call\u0007' })).toEqual({
      availability: 'do-not-disturb',
      note: { text: 'on a call' },
    })
    expect(stateOfTxt({ status: 'weird' })).toEqual({ availability: 'available' })
    expect(stateOfTxt({ txtvers: '2', status: 'away' })).toBeUndefined()
    expect(stateOfTxt({ status: 'away', msg: 'x'.repeat(2000) })?.note?.text).toHaveLength(500)
  })

  it('names a person by 1st and last, else nick, else the instance user', () => {
    expect(displayNameOfTxt({ '1st': 'Carol', last: 'Lund' }, 'c@g')).toBe('Carol Lund')
    expect(displayNameOfTxt({ nick: 'cl' }, 'c@g')).toBe('cl')
    expect(displayNameOfTxt({}, 'carol@gamma')).toBe('carol')
  })

  it('gives each instance a stable address of the link organization', () => {
    expect(addressOfInstance('Juliet@Pronto', 'local')).toBe('juliet.pronto@local')
    expect(addressOfInstance('Office Printer', 'local')).toBe('office-printer@local')
    expect(addressOfInstance('link+everyone', 'local')).toBe('link-everyone@local')
    expect(addressOfInstance('@@@', 'local')).toBe('peer@local')
  })
})

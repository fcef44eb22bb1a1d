// User Mood (XEP-0107) and Närvaro's free-text mood, both ways (mood-map.ts); unit tests.
import { parse } from 'ltx'
import { describe, expect, it } from 'vitest'
import { moodOfPayload, moodXml } from '../../../src/transports/xmpp/mood-map.js'

const ns = 'http://jabber.org/protocol/mood'
const payload = (body: string) => parse(`<mood xmlns="${ns}">${body}</mood>`)

describe('XEP-0107 mood', () => {
  it('renders a mood naming a value as that value, in any case and with spaces', () => {
    expect(moodXml('Happy')).toBe(`<mood xmlns="${ns}"><happy/></mood>`)
    expect(moodXml('in awe')).toBe(`<mood xmlns="${ns}"><in_awe/></mood>`)
  })

  it('renders "value: text" as the value with its text', () => {
    expect(moodXml('tired: long night')).toBe(
      `<mood xmlns="${ns}"><tired/><text>long night</text></mood>`,
    )
  })

  it('renders any other mood as undefined with the mood as text, escaped', () => {
    expect(moodXml('☕ & <3')).toBe(
      `<mood xmlns="${ns}"><undefined/><text>☕ &amp; &lt;3</text></mood>`,
    )
    expect(moodXml('undefined')).toBe(
      `<mood xmlns="${ns}"><undefined/><text>undefined</text></mood>`,
    )
  })

  it('renders no mood as an empty element', () => {
    expect(moodXml(undefined)).toBe(`<mood xmlns="${ns}"/>`)
  })

  it('reads a published mood back into what renders it again', () => {
    for (const body of ['<happy/>', '<in_awe/>', '<tired/><text>long night</text>']) {
      const mood = moodOfPayload(payload(body))
      expect(typeof mood).toBe('string')
      expect(moodXml(mood as string)).toBe(`<mood xmlns="${ns}">${body}</mood>`)
    }
    expect(moodOfPayload(payload('<undefined/><text>☕</text>'))).toBe('☕')
  })

  it('reads an empty mood as none, and refuses unknown or several values', () => {
    expect(moodOfPayload(payload(''))).toBeUndefined()
    expect(moodOfPayload(payload('<gleeful/>'))).toBe('bad-request')
    expect(moodOfPayload(payload('<happy/><sad/>'))).toBe('bad-request')
  })

  it('keeps at most 50 characters, as a publication over REST', () => {
    const mood = moodOfPayload(payload(`<undefined/><text>${'x'.repeat(80)}</text>`))
    expect(mood).toBe('x'.repeat(50))
  })
})

// Unit: a shared answer's pages, and the page text it keeps for the next asker: the same bytes for
// every asker whose own entry is not where the page is read, a page of their own for one whose is.
import { describe, expect, it } from 'vitest'
import { SharedAnswer } from '../../../src/app/availability/shared-answer.js'
import type { AnswerScope, IndexedEntry } from '../../../src/app/availability/shared-answer.js'

const scope = { key: 'k', asker: {}, filter: {} } as unknown as AnswerScope

const entryOf = (address: string): IndexedEntry => {
  const head = `{"address":${JSON.stringify(address)},"seq":1,`
  return {
    address,
    order: address,
    text: Buffer.from(`${head}"view":{}}`),
    bodyAt: Buffer.byteLength(head),
    details: [],
    organizationId: 'o',
  }
}

const answerOf = (addresses: readonly string[]): SharedAnswer => {
  const answer = new SharedAnswer(scope)
  for (const address of addresses) answer.put(address, entryOf(address))
  return answer
}

const addressesIn = (text: Buffer): string[] =>
  (JSON.parse(text.toString('utf8')) as { address: string }[]).map((e) => e.address)

describe('a shared answer', () => {
  const members = ['a', 'b', 'c', 'd', 'e', 'f']

  it('leaves the asker out of a page their entry falls in, and takes one more', () => {
    const answer = answerOf(members)
    expect(addressesIn(answer.pageWithText(undefined, 3, 'b').text)).toEqual(['a', 'c', 'd'])
    expect(addressesIn(answer.pageWithText('c', 3, 'e').text)).toEqual(['d', 'f'])
  })

  it('gives askers whose entry is elsewhere, or absent, the same kept bytes', () => {
    const answer = answerOf(members)
    const first = answer.pageWithText(undefined, 3, 'outsider').text
    expect(addressesIn(first)).toEqual(['a', 'b', 'c'])
    // `e` and `f` are in the answer, after the first page: the same page, not one made for them.
    expect(answer.pageWithText(undefined, 3, 'e').text).toBe(first)
    expect(answer.pageWithText(undefined, 3, 'f').text).toBe(first)
    // `a` is on it: a page of their own, which the next asker elsewhere does not get.
    const own = answer.pageWithText(undefined, 3, 'a').text
    expect(addressesIn(own)).toEqual(['b', 'c', 'd'])
    expect(addressesIn(answer.pageWithText(undefined, 3, 'e').text)).toEqual(['a', 'b', 'c'])
  })

  it('keeps nothing across a change of the answer', () => {
    const answer = answerOf(members)
    const before = answer.pageWithText(undefined, 3, 'outsider').text
    answer.put('b', undefined)
    const after = answer.pageWithText(undefined, 3, 'outsider').text
    expect(after).not.toBe(before)
    expect(addressesIn(after)).toEqual(['a', 'c', 'd'])
  })

  it('takes an entry that shows the same at the same place as no change', () => {
    const answer = answerOf(members)
    const heard: string[] = []
    answer.listeners.add((change) => heard.push(change.address))
    const same = entryOf('c')
    answer.put('c', {
      ...same,
      text: Buffer.from(same.text.toString().replace('"seq":1', '"seq":9')),
      bodyAt: same.bodyAt,
    })
    expect(heard).toEqual([])
    answer.put('c', { ...same, text: Buffer.from(same.text.toString().replace('{}}', '{"x":1}}')) })
    expect(heard).toEqual(['c'])
  })
})

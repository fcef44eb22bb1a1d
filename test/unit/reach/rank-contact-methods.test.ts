// The best ways to reach a person now, ranked from one watcher's view; unit tests.
import { describe, expect, it } from 'vitest'
import type { ViewContactMethod } from '../../../src/core/policy/compute-view.js'
import { rankContactMethods } from '../../../src/core/reach/rank-contact-methods.js'
import { t0 } from '../../support/publications.js'
import { annView, doing, method } from './reach-views.js'

const kinds = (methods: readonly ViewContactMethod[]) => methods.map((m) => m.kind)

/** The person prefers a call, then video, then IM, SMS and e-mail. */
const callFirst: readonly ViewContactMethod[] = [
  method('email', { rank: 5 }),
  method('im', { rank: 3 }),
  method('video', { rank: 2 }),
  method('voice', { rank: 1 }),
  method('sms', { rank: 4 }),
]

describe('rankContactMethods', () => {
  it('when available, the person’s own rank decides', () => {
    expect(kinds(rankContactMethods(annView({ contactMethods: callFirst }), t0))).toEqual([
      'voice',
      'video',
      'im',
      'sms',
      'email',
    ])
  })

  it('reachable methods come first, whatever their rank', () => {
    const view = annView({
      contactMethods: [method('voice', { rank: 1, reachable: false }), method('im', { rank: 9 })],
    })
    expect(kinds(rankContactMethods(view, t0))).toEqual(['im', 'voice'])
  })

  it.each(['in-a-call', 'in-a-meeting', 'presenting'] as const)(
    '%s: written kinds before ringing ones, each in the person’s order',
    (activity) => {
      const view = doing(activity, { availability: 'busy', contactMethods: callFirst })
      expect(kinds(rankContactMethods(view, t0))).toEqual(['im', 'sms', 'email', 'voice', 'video'])
    },
  )

  it('do-not-disturb without activities also puts written kinds first', () => {
    const view = annView({ availability: 'do-not-disturb', contactMethods: callFirst })
    expect(kinds(rankContactMethods(view, t0))).toEqual(['im', 'sms', 'email', 'voice', 'video'])
  })

  it.each(['out-of-office', 'off-work'] as const)(
    '%s: e-mail first, then voice for voicemail',
    (activity) => {
      const view = doing(activity, { availability: 'away', contactMethods: callFirst })
      expect(kinds(rankContactMethods(view, t0))).toEqual(['email', 'voice', 'video', 'im', 'sms'])
    },
  )

  it('offline: the e-mail the view marks reachable first, then voicemail', () => {
    const view = annView({
      availability: 'offline',
      contactMethods: callFirst.map((m) => ({ ...m, reachable: m.kind === 'email' })),
    })
    expect(kinds(rankContactMethods(view, t0))).toEqual(['email', 'voice', 'video', 'im', 'sms'])
  })

  it('a view without contact methods ranks nothing', () => {
    expect(rankContactMethods(annView({ contactMethods: undefined }), t0)).toEqual([])
  })

  it('ranks only what the view shows, without changing it', () => {
    const view = doing('in-a-call', { contactMethods: callFirst })
    const ranked = rankContactMethods(view, t0)
    expect([...ranked].sort((a, b) => a.rank - b.rank)).toEqual(
      [...callFirst].sort((a, b) => a.rank - b.rank),
    )
    expect(view.contactMethods).toBe(callFirst)
  })
})

// "Can I reach Ann by voice now?": reachability from one watcher's view, with reasons, alternatives
// and priority access; unit tests.
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../../src/core/aggregation/presence.js'
import type { Activity } from '../../../src/core/model/presence-model.js'
import { computeView, type View } from '../../../src/core/policy/compute-view.js'
import type { Permissions } from '../../../src/core/policy/permissions.js'
import { checkReach } from '../../../src/core/reach/check-reach.js'
import {
  aggregateAt,
  annProfile,
  calendar,
  device,
  hour,
  noGrants,
  permissionsWith,
  t0,
} from '../../support/publications.js'
import { annView, bareOfflineView, doing, method, workMethods } from './reach-views.js'

const laptop = device('laptop', {
  availability: 'available',
  device: { capabilities: ['im', 'voice'] },
})
const inMeeting: Presence = aggregateAt([
  laptop,
  calendar({ activities: [{ kind: 'in-a-meeting' }] }),
])
const presenting: Presence = aggregateAt([
  laptop,
  calendar({ activities: [{ kind: 'presenting' }] }),
])
const colleague = permissionsWith({ contactScopes: ['work'] })
const viewOf = (presence: Presence, permissions: Permissions): View =>
  computeView({ presence, permissions, profile: annProfile(), now: t0 })

const activityWords = /meeting|call|conference|presenting|focus|office|vacation|off work/

describe('checkReach', () => {
  it('an available person is reachable by voice through her voice method', () => {
    expect(checkReach(annView(), 'voice')).toStrictEqual({
      reachable: true,
      via: workMethods[1],
      text: 'Ann Andersson is available; reach by voice at voice:ann',
    })
  })

  it('in a meeting, voice is refused with the meeting as reason and chat as the alternative', () => {
    const view = viewOf(inMeeting, colleague)
    const answer = checkReach(view, 'voice')
    expect(answer).toMatchObject({
      reachable: false,
      reason: 'busy-in-a-meeting',
      alternative: { kind: 'im', address: 'work-im:ann' },
    })
    expect(answer.text).toBe('Ann Andersson is in a meeting; try im (work-im:ann)')
    expect(checkReach(view, 'im')).toMatchObject({ reachable: true, via: { kind: 'im' } })
  })

  it('busy with the activities hidden: the reason is busy, and nothing names an activity', () => {
    const view = viewOf(inMeeting, { ...colleague, activities: false })
    expect(view.activities).toBeUndefined()
    const answer = checkReach(view, 'voice')
    expect(answer).toMatchObject({ reachable: false, reason: 'busy' })
    expect(answer.text).not.toMatch(activityWords)
  })

  it('presenting lets nothing through, not even chat; e-mail is offered to read later', () => {
    const answer = checkReach(viewOf(presenting, colleague), 'im')
    expect(answer).toMatchObject({
      reachable: false,
      reason: 'presenting',
      alternative: { kind: 'email' },
    })
    expect(answer.text).toBe(
      'Ann Andersson is presenting; leave a message by email (work-email:ann)',
    )
  })

  it('do-not-disturb without activities gives do-not-disturb and mentions no activity', () => {
    const answer = checkReach(annView({ availability: 'do-not-disturb' }), 'voice')
    expect(answer).toMatchObject({ reachable: false, reason: 'do-not-disturb' })
    expect(answer.text).not.toMatch(activityWords)
  })

  it('do-not-disturb outranks a meeting shown in the view', () => {
    const view = doing('in-a-meeting', { availability: 'do-not-disturb' })
    expect(checkReach(view, 'im')).toMatchObject({ reachable: false, reason: 'do-not-disturb' })
  })

  it('a watcher with priority access by voice reaches a person in do-not-disturb by voice only', () => {
    const view = annView({ availability: 'do-not-disturb' })
    expect(checkReach(view, 'voice', { priority: ['voice'] })).toStrictEqual({
      reachable: true,
      via: workMethods[1],
      priorityAccess: true,
      text: 'Ann Andersson does not want to be disturbed; reach by voice at voice:ann (priority access)',
    })
    expect(checkReach(view, 'im', { priority: ['voice'] })).toMatchObject({
      reachable: false,
      reason: 'do-not-disturb',
    })
    expect(checkReach(view, 'voice')).toMatchObject({ reachable: false })
  })

  it('priority access gets through presenting and meetings, by the listed kinds', () => {
    expect(
      checkReach(viewOf(presenting, colleague), 'voice', { priority: ['voice'] }),
    ).toMatchObject({
      reachable: true,
      priorityAccess: true,
    })
    expect(
      checkReach(viewOf(inMeeting, colleague), 'voice', { priority: ['voice'] }),
    ).toMatchObject({
      reachable: true,
      priorityAccess: true,
    })
  })

  it('priority access still needs a method a live source can take', () => {
    const view = annView({
      availability: 'do-not-disturb',
      contactMethods: [method('voice', { reachable: false })],
    })
    expect(checkReach(view, 'voice', { priority: ['voice'] })).toMatchObject({
      reachable: false,
      reason: 'method-not-reachable',
    })
  })

  it.each(['off-work', 'out-of-office', 'on-vacation'] as const)(
    'priority access does not reach someone %s',
    (kind) => {
      const answer = checkReach(doing(kind, { availability: 'away' }), 'voice', {
        priority: ['voice'],
      })
      expect(answer).toMatchObject({
        reachable: false,
        reason: kind,
        alternative: { kind: 'email' },
      })
    },
  )

  it('outside working hours a colleague learns only that the person is off work', () => {
    const view = viewOf(inMeeting, { ...colleague, offWork: true })
    expect(checkReach(view, 'voice', { priority: ['voice'] })).toStrictEqual({
      reachable: false,
      reason: 'off-work',
      text: 'Ann Andersson is off work',
    })
  })

  it('a polite block and appear-offline answer exactly as a real offline, even with priority access', () => {
    const realOffline = viewOf(aggregateAt([], t0, t0 - hour), noGrants)
    const politeBlocked = viewOf(inMeeting, permissionsWith({ subscription: 'polite-block' }))
    const appearOffline = viewOf(inMeeting, permissionsWith({ appearOffline: true }))
    const expected = { reachable: false, reason: 'offline', text: 'Ann Andersson is offline' }
    for (const view of [realOffline, politeBlocked, appearOffline, bareOfflineView]) {
      for (const kind of ['im', 'voice', 'email'] as const) {
        expect(checkReach(view, kind, { priority: ['im', 'voice', 'email'] })).toStrictEqual(
          expected,
        )
      }
    }
  })

  it('someone really offline whose e-mail the watcher sees: offline, with e-mail to read later', () => {
    const view = viewOf(aggregateAt([], t0), colleague)
    expect(checkReach(view, 'im')).toMatchObject({
      reachable: false,
      reason: 'offline',
      alternative: { kind: 'email', address: 'work-email:ann' },
    })
    expect(checkReach(view, 'email')).toMatchObject({ reachable: false, reason: 'offline' })
  })

  it('a kind the view shows no method of is no-such-method, with the best reachable alternative', () => {
    expect(checkReach(annView(), 'video')).toMatchObject({
      reachable: false,
      reason: 'no-such-method',
      alternative: { kind: 'im' },
      text: 'Ann Andersson shows you no video contact method; try im (im:ann)',
    })
  })

  it('a view without contact methods gives no-such-method and no alternative', () => {
    const answer = checkReach(annView({ contactMethods: undefined }), 'im')
    expect(answer).toStrictEqual({
      reachable: false,
      reason: 'no-such-method',
      text: 'Ann Andersson shows you no im contact method',
    })
  })

  it('a method no live source can take (or outside its hours) is method-not-reachable', () => {
    const view = annView({ contactMethods: [method('voice', { reachable: false }), method('im')] })
    expect(checkReach(view, 'voice')).toMatchObject({
      reachable: false,
      reason: 'method-not-reachable',
      alternative: { kind: 'im' },
    })
  })

  it('of several methods of the kind, the reachable one with the lowest rank is used', () => {
    const view = annView({
      contactMethods: [
        method('voice', { rank: 1, address: 'desk', reachable: false }),
        method('voice', { rank: 3, address: 'mobile' }),
        method('voice', { rank: 2, address: 'softphone' }),
      ],
    })
    expect(checkReach(view, 'voice')).toMatchObject({
      reachable: true,
      via: { address: 'softphone' },
    })
  })

  it('away: written kinds get through, ringing ones do not', () => {
    const view = annView({ availability: 'away' })
    expect(checkReach(view, 'im')).toMatchObject({ reachable: true })
    expect(checkReach(view, 'voice')).toMatchObject({ reachable: false, reason: 'away' })
    expect(checkReach(view, 'voice', { priority: ['voice'] })).toMatchObject({ reachable: false })
  })

  it('gives the end of the deciding activity only when the view carries it', () => {
    const until = t0 + hour
    const timed = { kind: 'in-a-meeting', until } as Activity
    const view = annView({ availability: 'busy', activities: [timed] })
    expect(checkReach(view, 'voice')).toMatchObject({
      reason: 'busy-in-a-meeting',
      until,
      text: 'Ann Andersson is in a meeting until 2026-01-05T10:00:00.000Z; try im (im:ann)',
    })
    expect(checkReach(doing('in-a-meeting'), 'voice')).not.toHaveProperty('until')
    expect(
      checkReach(annView({ availability: 'do-not-disturb', activities: [timed] }), 'voice'),
    ).not.toHaveProperty('until')
  })

  it('with now past the end the view carries, the activity no longer decides', () => {
    const timed = { kind: 'in-a-meeting', until: t0 } as Activity
    const view = annView({ activities: [timed] })
    expect(checkReach(view, 'voice', { now: t0 })).toMatchObject({ reachable: true })
    expect(checkReach(view, 'voice', { now: t0 - 1 })).toMatchObject({ reachable: false })
  })
})

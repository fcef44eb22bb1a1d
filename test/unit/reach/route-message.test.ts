// Unified-messaging routing: where a message of each urgency goes now, and why, from one watcher's
// view; unit tests.
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../../src/core/aggregation/presence.js'
import { computeView, type View } from '../../../src/core/policy/compute-view.js'
import type { Permissions } from '../../../src/core/policy/permissions.js'
import { routeMessage } from '../../../src/core/reach/route-message.js'
import {
  aggregateAt,
  annProfile,
  calendar,
  device,
  permissionsWith,
  t0,
} from '../../support/publications.js'
import { annView, bareOfflineView, doing, method, workMethods } from './reach-views.js'

const laptop = device('laptop', {
  availability: 'available',
  device: { capabilities: ['im', 'voice'] },
})
const colleague = permissionsWith({ contactScopes: ['work'] })
const viewOf = (presence: Presence, permissions: Permissions = colleague): View =>
  computeView({ presence, permissions, profile: annProfile(), now: t0 })

/** Ann offline, with every kind of method visible (only e-mail reachable, as computeView says). */
const offlineWithAll = annView({
  availability: 'offline',
  contactMethods: [
    method('im', { rank: 1, reachable: false }),
    method('voice', { rank: 2, reachable: false }),
    method('sms', { rank: 3, reachable: false }),
    method('email', { rank: 4 }),
  ],
})
const deliverOf = (view: View, urgency: Parameters<typeof routeMessage>[1], priority = {}) =>
  routeMessage(view, urgency, priority).deliver

describe('routeMessage', () => {
  it('available: IM for a normal message, a call when urgent, e-mail when low', () => {
    expect(routeMessage(annView(), 'normal')).toStrictEqual({
      deliver: 'im',
      via: workMethods[0],
      reason: 'available',
      text: 'Ann Andersson is available: send an IM to im:ann',
    })
    expect(deliverOf(annView(), 'urgent')).toBe('voice')
    expect(deliverOf(annView(), 'high')).toBe('im')
    expect(deliverOf(annView(), 'low')).toBe('email')
  })

  it('the answer moves from IM to voicemail as the person goes from available to presenting', () => {
    const available = viewOf(aggregateAt([laptop]))
    const presenting = viewOf(
      aggregateAt([laptop, calendar({ activities: [{ kind: 'presenting' }] })]),
    )
    expect(routeMessage(available, 'normal')).toMatchObject({ deliver: 'im', reason: 'available' })
    expect(routeMessage(presenting, 'normal')).toStrictEqual({
      deliver: 'voicemail',
      via: { kind: 'voice', address: 'work-voice:ann', rank: 2, scope: 'work', reachable: true },
      reason: 'presenting',
      text: 'Ann Andersson is presenting: leave a voicemail on work-voice:ann',
    })
  })

  it('do-not-disturb: e-mail or voicemail, whatever the urgency, without priority access', () => {
    const view = annView({ availability: 'do-not-disturb' })
    expect(deliverOf(view, 'low')).toBe('email')
    expect(deliverOf(view, 'normal')).toBe('voicemail')
    expect(deliverOf(view, 'urgent')).toBe('voicemail')
    expect(
      deliverOf(
        annView({ availability: 'do-not-disturb', contactMethods: [method('email')] }),
        'urgent',
      ),
    ).toBe('email')
  })

  it('do-not-disturb: priority access routes live, by the listed kinds only', () => {
    const view = annView({ availability: 'do-not-disturb' })
    expect(routeMessage(view, 'normal', { priority: ['im'] })).toMatchObject({
      deliver: 'im',
      reason: 'do-not-disturb',
      priorityAccess: true,
    })
    expect(routeMessage(view, 'urgent', { priority: ['voice'] })).toMatchObject({
      deliver: 'voice',
      priorityAccess: true,
    })
    expect(routeMessage(view, 'normal', { priority: ['voice'] })).toMatchObject({
      deliver: 'email',
    })
    expect(routeMessage(view, 'normal', { priority: ['voice'] })).not.toHaveProperty(
      'priorityAccess',
    )
  })

  it('priority access by voice does not open a phone line', () => {
    const view = annView({
      availability: 'do-not-disturb',
      contactMethods: [method('phone'), method('email')],
    })
    expect(routeMessage(view, 'urgent', { priority: ['voice'] })).toMatchObject({
      deliver: 'voicemail',
      via: { kind: 'phone' },
    })
    expect(routeMessage(view, 'urgent', { priority: ['phone'] })).toMatchObject({
      deliver: 'voice',
      via: { kind: 'phone' },
      priorityAccess: true,
    })
  })

  it('in a meeting: written kinds, never a call; SMS when urgent', () => {
    const view = doing('in-a-meeting', {
      availability: 'busy',
      contactMethods: [...workMethods, method('sms', { rank: 4 })],
    })
    expect(routeMessage(view, 'normal')).toMatchObject({
      deliver: 'im',
      reason: 'busy-in-a-meeting',
    })
    expect(deliverOf(view, 'urgent')).toBe('sms')
    expect(deliverOf(doing('in-a-meeting', { availability: 'busy' }), 'urgent')).toBe('im')
  })

  it('offline: e-mail when low or normal, SMS when high or urgent, else voicemail', () => {
    expect(deliverOf(offlineWithAll, 'low')).toBe('email')
    expect(deliverOf(offlineWithAll, 'normal')).toBe('email')
    expect(routeMessage(offlineWithAll, 'urgent')).toMatchObject({
      deliver: 'sms',
      via: { kind: 'sms' },
      reason: 'offline',
    })
    const noSms = annView({ availability: 'offline', contactMethods: workMethods })
    expect(deliverOf(noSms, 'high')).toBe('voicemail')
    expect(
      deliverOf(annView({ availability: 'offline', contactMethods: [method('email')] }), 'urgent'),
    ).toBe('email')
  })

  it('a polite block routes exactly as a real offline with nothing shown: nowhere', () => {
    const politeBlocked = viewOf(
      aggregateAt([laptop]),
      permissionsWith({ subscription: 'polite-block' }),
    )
    for (const urgency of ['low', 'normal', 'high', 'urgent'] as const) {
      const expected = {
        deliver: 'none',
        reason: 'offline',
        text: 'Ann Andersson is offline: no contact method shown to you can take it now',
      }
      expect(routeMessage(politeBlocked, urgency, { priority: ['im', 'voice'] })).toStrictEqual(
        expected,
      )
      expect(routeMessage(bareOfflineView, urgency)).toStrictEqual(expected)
    }
  })

  it('out of office: e-mail, then voicemail', () => {
    const view = doing('out-of-office', { availability: 'away' })
    expect(routeMessage(view, 'normal')).toMatchObject({
      deliver: 'email',
      reason: 'out-of-office',
    })
    expect(deliverOf(view, 'urgent')).toBe('voicemail')
    expect(deliverOf(doing('out-of-office', { contactMethods: [method('voice')] }), 'low')).toBe(
      'voicemail',
    )
  })

  it('off work as colleagues see it outside working hours: nowhere, because nothing is shown', () => {
    const view = viewOf(aggregateAt([laptop]), { ...colleague, offWork: true })
    expect(routeMessage(view, 'urgent', { priority: ['voice'] })).toMatchObject({
      deliver: 'none',
      reason: 'off-work',
    })
  })

  it('only reachable methods take live deliveries; nothing reachable and nothing to leave a message on is none', () => {
    const view = annView({ contactMethods: [method('im', { reachable: false }), method('video')] })
    expect(routeMessage(view, 'normal')).toMatchObject({ deliver: 'none', reason: 'available' })
    expect(routeMessage(annView({ contactMethods: undefined }), 'urgent').deliver).toBe('none')
  })

  it('voicemail is left on a phone line when no voice method is shown', () => {
    const view = annView({ availability: 'do-not-disturb', contactMethods: [method('phone')] })
    expect(routeMessage(view, 'normal')).toMatchObject({
      deliver: 'voicemail',
      via: { kind: 'phone' },
    })
  })
})

// Aggregation of everything but availability: note, location, mood, place, time zone, activities,
// devices, reachable contact kinds and where each came from (provenance); unit tests.
import { describe, expect, it } from 'vitest'
import {
  aggregateAt,
  calendar,
  device,
  hour,
  manual,
  manualNote,
  phone,
  publication,
  t0,
} from '../../support/publications.js'

describe('the note', () => {
  it('the note set by hand beats the notes of devices, even newer ones', () => {
    const presence = aggregateAt([
      manualNote('back at 3', { publishedAt: t0 - hour }),
      device('laptop', { note: { text: 'from the laptop' } }, { publishedAt: t0 }),
    ])
    expect(presence.note).toEqual({ text: 'back at 3' })
    expect(presence.provenance.note).toBe('note')
  })

  it('among other sources the newest publication decides', () => {
    const presence = aggregateAt([
      device('laptop', { note: { text: 'older' } }, { publishedAt: t0 - 10 }),
      device('mobile', { note: { text: 'newer' } }, { publishedAt: t0 - 5 }),
    ])
    expect(presence.note?.text).toBe('newer')
    expect(presence.provenance.note).toBe('mobile')
  })

  it('breaks a tie of publication times by source id', () => {
    const presence = aggregateAt([
      device('mobile', { note: { text: 'mobile' } }),
      device('laptop', { note: { text: 'laptop' } }),
    ])
    expect(presence.note?.text).toBe('laptop')
  })

  it('a note expiring exactly now is gone', () => {
    const note = publication({ id: 'note', kind: 'manual' }, { note: { text: 'x', expiresAt: t0 } })
    const presence = aggregateAt([note, device()])
    expect(presence.note).toBeUndefined()
    expect(presence.provenance.note).toBeUndefined()
  })

  it('a note expiring one millisecond after now still shows', () => {
    const presence = aggregateAt([
      device('laptop', { note: { text: 'soon gone', expiresAt: t0 + 1 } }),
    ])
    expect(presence.note).toEqual({ text: 'soon gone', expiresAt: t0 + 1 })
  })

  it('when the winning note has expired, the next live one shows', () => {
    const presence = aggregateAt([
      device('laptop', { note: { text: 'older' } }, { publishedAt: t0 - 10 }),
      device('mobile', { note: { text: 'expired', expiresAt: t0 - 1 } }, { publishedAt: t0 - 5 }),
    ])
    expect(presence.note?.text).toBe('older')
    expect(presence.provenance.note).toBe('laptop')
  })

  it('the note of an expired publication is gone', () => {
    expect(
      aggregateAt([device('laptop', { note: { text: 'x' } }, { expiresAt: t0 })]).note,
    ).toBeUndefined()
  })

  it('while offline the note set by hand still shows', () => {
    const presence = aggregateAt([manualNote('on leave until May')])
    expect(presence.availability).toBe('offline')
    expect(presence.note?.text).toBe('on leave until May')
  })

  it('while invisible only the note set by hand shows, never a device note', () => {
    const withDeviceNote = aggregateAt([
      manual({ availability: 'invisible' }),
      device('laptop', { note: { text: 'typing on my laptop' } }),
    ])
    expect(withDeviceNote.note).toBeUndefined()
    const withManualNote = aggregateAt([
      manual({ availability: 'invisible' }),
      manualNote('gone fishing'),
      device('laptop', { note: { text: 'typing on my laptop' } }),
    ])
    expect(withManualNote.note?.text).toBe('gone fishing')
  })

  it('a calendar note shows while online', () => {
    const presence = aggregateAt([calendar({ note: { text: 'Board meeting' } }), device()])
    expect(presence.note?.text).toBe('Board meeting')
    expect(presence.provenance.note).toBe('calendar')
  })
})

describe('location, mood, place and time zone', () => {
  it('come from the newest online source that has them', () => {
    const presence = aggregateAt([
      device(
        'laptop',
        { location: { city: 'Oslo' }, mood: 'tired', place: 'home', timeZone: 'Europe/Oslo' },
        { publishedAt: t0 - 10 },
      ),
      device('mobile', { location: { city: 'Stockholm' }, mood: 'happy' }, { publishedAt: t0 - 5 }),
    ])
    expect(presence).toMatchObject({
      location: { city: 'Stockholm' },
      mood: 'happy',
      place: 'home',
      timeZone: 'Europe/Oslo',
    })
    expect(presence.provenance.location).toBe('mobile')
  })

  it('a calendar location does not count', () => {
    const presence = aggregateAt([calendar({ location: { city: 'Room 4' } }), device()])
    expect(presence.location).toBeUndefined()
    expect(presence.provenance.location).toBeUndefined()
  })

  it('a manual location beats a device location', () => {
    const presence = aggregateAt([
      manual(
        { availability: 'available', location: { country: 'NO' } },
        { publishedAt: t0 - hour },
      ),
      device('laptop', { location: { country: 'SE' } }),
    ])
    expect(presence.location).toEqual({ country: 'NO' })
    expect(presence.provenance.location).toBe('manual')
  })

  it('nothing of the sort shows while offline, except the time zone set by hand', () => {
    const presence = aggregateAt([
      manual({
        availability: 'busy',
        location: { country: 'SE' },
        mood: 'x',
        place: 'y',
        timeZone: 'Asia/Tokyo',
      }),
      calendar({ activities: [{ kind: 'in-a-meeting' }] }),
    ])
    expect(presence.availability).toBe('offline')
    expect(presence.location).toBeUndefined()
    expect(presence.mood).toBeUndefined()
    expect(presence.place).toBeUndefined()
    expect(presence.timeZone).toBe('Asia/Tokyo')
  })

  it('absent fields stay absent instead of being undefined', () => {
    expect(Object.keys(aggregateAt([device()])).sort()).toEqual([
      'activities',
      'address',
      'availability',
      'devices',
      'provenance',
      'reachable',
    ])
  })
})

describe('activities', () => {
  it('are the union of all live sources, without duplicates, each with the source that gave it first by id', () => {
    const presence = aggregateAt([
      device('mobile', { activities: [{ kind: 'commuting' }, { kind: 'in-a-call' }] }),
      phone({ activities: [{ kind: 'in-a-call' }] }),
      calendar({ activities: [{ kind: 'in-a-meeting' }] }),
    ])
    expect(presence.activities).toEqual([
      { kind: 'commuting' },
      { kind: 'in-a-call' },
      { kind: 'in-a-meeting' },
    ])
    expect(presence.provenance.activities).toEqual([
      { activity: { kind: 'commuting' }, sourceId: 'mobile', sourceKind: 'device' },
      { activity: { kind: 'in-a-call' }, sourceId: 'mobile', sourceKind: 'device' },
      { activity: { kind: 'in-a-meeting' }, sourceId: 'calendar', sourceKind: 'calendar' },
    ])
  })

  it('keep custom activities with different texts apart and merge equal ones', () => {
    const presence = aggregateAt([
      device('laptop', {
        activities: [
          { kind: 'custom', text: 'lunch' },
          { kind: 'custom', text: 'gym' },
        ],
      }),
      device('mobile', { activities: [{ kind: 'custom', text: 'lunch' }] }),
    ])
    expect(presence.activities).toEqual([
      { kind: 'custom', text: 'gym' },
      { kind: 'custom', text: 'lunch' },
    ])
  })

  it('include those of a calendar and of a manual source while online', () => {
    const presence = aggregateAt([
      calendar({ activities: [{ kind: 'focusing' }] }),
      publication({ id: 'manual', kind: 'manual' }, { activities: [{ kind: 'commuting' }] }),
      device(),
    ])
    expect(presence.activities).toEqual([{ kind: 'commuting' }, { kind: 'focusing' }])
  })

  it('of an expired source are gone', () => {
    const presence = aggregateAt([
      phone({ activities: [{ kind: 'in-a-call' }] }, { expiresAt: t0 }),
      device(),
    ])
    expect(presence.activities).toEqual([])
    expect(presence.provenance.activities).toEqual([])
  })
})

describe('devices', () => {
  it('lists each online source with device information, by source id, after idle detection', () => {
    const presence = aggregateAt([
      device('mobile', {
        availability: 'busy',
        device: { name: 'Pixel', kind: 'mobile', capabilities: ['im', 'voice'] },
      }),
      device('laptop', { device: { capabilities: ['im'] } }, { idle: true }),
      device('web', {}),
    ])
    expect(presence.devices).toEqual([
      { id: 'laptop', capabilities: ['im'], availability: 'away', idle: true },
      {
        id: 'mobile',
        name: 'Pixel',
        kind: 'mobile',
        capabilities: ['im', 'voice'],
        availability: 'busy',
        idle: false,
      },
    ])
  })

  it('are empty while offline, and do not list a calendar', () => {
    expect(aggregateAt([calendar({ device: { capabilities: ['video'] } })]).devices).toEqual([])
    expect(
      aggregateAt([calendar({ device: { capabilities: ['video'] } }), device()]).devices,
    ).toHaveLength(0)
  })
})

describe('reachable contact kinds', () => {
  it('come from the capabilities of live online sources, plus the asynchronous kinds, in vocabulary order', () => {
    const presence = aggregateAt([
      device('laptop', { device: { capabilities: ['video', 'im'] } }),
      phone({ device: { capabilities: ['phone', 'voice'] } }),
    ])
    expect(presence.reachable).toEqual(['im', 'voice', 'video', 'sms', 'email', 'phone'])
  })

  it('are the asynchronous kinds only for an online person whose sources take nothing else', () => {
    expect(aggregateAt([device('laptop', {})]).reachable).toEqual(['sms', 'email'])
  })

  it('are the asynchronous kinds only while offline', () => {
    expect(aggregateAt([]).reachable).toEqual(['sms', 'email'])
    expect(
      aggregateAt([device('laptop', { device: { capabilities: ['im'] } }, { expiresAt: t0 })])
        .reachable,
    ).toEqual(['sms', 'email'])
  })

  it('do not come from a manual source or a calendar', () => {
    const presence = aggregateAt([
      manual({ availability: 'available', device: { capabilities: ['sms'] } }),
      calendar({ device: { capabilities: ['video'] } }),
      device('laptop', {}),
    ])
    expect(presence.reachable).toEqual(['sms', 'email'])
  })

  it('do not come from an expired source', () => {
    const presence = aggregateAt([
      device('laptop', { device: { capabilities: ['im'] } }),
      device('mobile', { device: { capabilities: ['sms'] } }, { expiresAt: t0 }),
    ])
    expect(presence.reachable).toEqual(['im', 'sms', 'email'])
  })
})

// What a client publishes through PEP as publication fields (pep-payloads.ts); unit tests.
import { parse } from 'ltx'
import { describe, expect, it } from 'vitest'
import { fieldsOfPayload } from '../../../src/transports/xmpp/pep-payloads.js'
import { activityNs, geolocNs, moodNs } from '../../../src/transports/xmpp/pep-map.js'

const activity = (body: string) =>
  fieldsOfPayload(activityNs, parse(`<activity xmlns="${activityNs}">${body}</activity>`))
const geoloc = (body: string) =>
  fieldsOfPayload(geolocNs, parse(`<geoloc xmlns="${geolocNs}">${body}</geoloc>`))

describe('PEP payloads as publication fields', () => {
  it('reads a XEP-0108 activity Närvaro has as that activity, keeping its text', () => {
    expect(activity('<talking><on_the_phone/></talking>')).toEqual({
      activities: [{ kind: 'in-a-call' }],
    })
    expect(activity('<working><in_a_meeting/></working><text>budget</text>')).toEqual({
      activities: [{ kind: 'in-a-meeting', text: 'budget' }],
    })
    expect(activity('<working/>')).toEqual({ activities: [{ kind: 'focusing' }] })
  })

  it('reads any other activity as custom, named by its text or else its words', () => {
    expect(activity('<eating><having_lunch/></eating>')).toEqual({
      activities: [{ kind: 'custom', text: 'having lunch' }],
    })
    expect(activity('<eating/><text>pizza</text>')).toEqual({
      activities: [{ kind: 'custom', text: 'pizza' }],
    })
  })

  it('clears the activity with an empty item and refuses an unknown general activity', () => {
    expect(activity('')).toEqual({ activities: undefined })
    expect(activity('<dancing/>')).toBe('bad-request')
  })

  it('reads a location, locality as city, and refuses coordinates out of range', () => {
    expect(geoloc('<country>Sweden</country><locality>Uppsala</locality><lat>59.8</lat>')).toEqual({
      location: { country: 'Sweden', city: 'Uppsala', latitude: 59.8 },
    })
    expect(geoloc('')).toEqual({ location: undefined })
    expect(geoloc('<lat>91</lat>')).toBe('bad-request')
    expect(geoloc('<lon>east</lon>')).toBe('bad-request')
  })

  it('refuses a payload that is not the node’s own', () => {
    expect(fieldsOfPayload(moodNs, parse(`<activity xmlns="${activityNs}"/>`))).toBe('bad-request')
    expect(fieldsOfPayload(moodNs, parse(`<mood xmlns="urn:other"/>`))).toBe('bad-request')
  })
})

// Reading a published PIDF document (RFC 3863, RPID) with the hardened XML parser: RPID activities as
// availability and activities, the note, mood and place; XML bombs, DOCTYPEs, deep nesting and other
// documents are refused with 400.
import { describe, expect, it } from 'vitest'
import { publishedState } from '../../../src/transports/sip/pidf-in.js'
import { SipParseError } from '../../../src/transports/sip/sip-message.js'

const pidf = (person: string, basic = 'open') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
  xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:bob@acme.example">
  <tuple id="t"><status><basic>${basic}</basic></status></tuple>
  <dm:person id="p">${person}</dm:person>
</presence>`

const refused = (body: string): number => {
  try {
    publishedState(body)
  } catch (error) {
    if (error instanceof SipParseError) return error.status
    throw error
  }
  return 0
}

describe('a published PIDF document', () => {
  it('gives availability, activities, note, mood and place', () => {
    const state = publishedState(
      pidf(
        '<rpid:activities><rpid:meeting/><rpid:other>Lunch</rpid:other></rpid:activities>' +
          '<rpid:mood><rpid:happy/></rpid:mood><rpid:place-type><rpid:other>office</rpid:other></rpid:place-type>' +
          '<dm:note>Back at 2</dm:note>',
      ),
    )
    expect(state).toEqual({
      open: true,
      state: {
        availability: 'busy',
        activities: [{ kind: 'in-a-meeting' }, { kind: 'custom', text: 'Lunch' }],
        note: { text: 'Back at 2' },
        mood: 'happy',
        place: 'office',
      },
    })
    expect(publishedState(pidf('', 'closed'))).toEqual({ open: false })
    const dnd = publishedState(
      pidf('<rpid:activities><rpid:other>do-not-disturb</rpid:other></rpid:activities>'),
    )
    expect(dnd).toMatchObject({ state: { availability: 'do-not-disturb' } })
  })

  it('refuses XML bombs, DOCTYPEs, deep nesting, comments and other documents with 400', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' +
      '<presence xmlns="urn:ietf:params:xml:ns:pidf">&lol2;</presence>'
    expect(refused(bomb)).toBe(400)
    expect(refused(pidf('&undefined;'))).toBe(400)
    expect(refused(pidf(`${'<a>'.repeat(20)}${'</a>'.repeat(20)}`))).toBe(400)
    expect(refused(pidf('<!-- hidden -->'))).toBe(400)
    expect(refused('<presence xmlns="urn:example:other"/>')).toBe(400)
    expect(refused(`${pidf('')}${pidf('')}`)).toBe(400)
    expect(refused(pidf(`<dm:note>${'x'.repeat(40_000)}</dm:note>`))).toBe(400)
    expect(refused('not xml at all <')).toBe(400)
  })
})

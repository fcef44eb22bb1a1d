// Stream management's bookkeeping (XEP-0198): acknowledgements move the hub cursor only past whole
// changes, and a resumption sends again only what the hub cannot replay.
import { describe, expect, it } from 'vitest'
import { StreamManagement } from '../../../src/transports/xmpp/stream-management.js'

describe('StreamManagement', () => {
  it('moves the cursor to the last change whose stanzas were all acknowledged', () => {
    const sm = new StreamManagement()
    sm.sent('<presence a/>', 0)
    sm.sent('<message pep a/>', 7) // the last stanza of change 7
    sm.sent('<presence b/>', 0)
    sm.sent('<message pep b/>', 9)
    sm.acknowledged(3)
    expect(sm.cursor).toBe(7)
    sm.acknowledged(4)
    expect(sm.cursor).toBe(9)
  })

  it('resends on resumption only the stanzas that are not the hub’s presence, counted anew', () => {
    const sm = new StreamManagement()
    sm.sent('<presence/>', 3)
    sm.sent('<message>hi</message>')
    sm.sent('<presence/>', 5)
    sm.sent('<iq type="set"/>')
    expect(sm.resumeAfter(1)).toEqual(['<message>hi</message>', '<iq type="set"/>'])
    expect(sm.cursor).toBe(3)
    // Counting goes on from the client's h: the next stanza is the client's second.
    sm.sent('<message>again</message>')
    sm.acknowledged(2)
    expect(sm.resumeAfter(2)).toEqual([])
  })

  it('refuses to resume once text it would have to send again was dropped', () => {
    const sm = new StreamManagement()
    for (let i = 0; i < 5000; i++) sm.sent('<presence/>', i + 1)
    sm.sent('<message/>')
    expect(sm.overflowed).toBe(false)
    for (let i = 0; i < 5000; i++) sm.sent('<message/>')
    expect(sm.overflowed).toBe(true)
  })
})

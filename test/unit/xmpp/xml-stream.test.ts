// The XMPP stream parser: stanzas come out as elements with their namespaces, and every hostile input
// (DOCTYPE, entities, comments, oversize, depth, attributes, malformed XML) is a stream error.
import { describe, expect, it } from 'vitest'
import type { Element } from 'ltx'
import { StreamError, XmlStream } from '../../../src/transports/xmpp/xml-stream.js'

const header =
  "<?xml version='1.0'?><stream:stream to='example.com' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"

const parse = (...chunks: string[]) => {
  const elements: Element[] = []
  let opened: Record<string, string> | undefined
  let closed = false
  const stream = new XmlStream(
    {
      onOpen: (attrs) => (opened = attrs),
      onElement: (element) => elements.push(element),
      onClose: () => (closed = true),
    },
    { maxStanzaChars: 2000, maxDepth: 5, maxAttributes: 8 },
  )
  let error: StreamError | undefined
  try {
    for (const chunk of chunks) stream.write(chunk)
  } catch (caught) {
    error = caught as StreamError
  }
  return { elements, opened, closed, error }
}

describe('the XMPP stream parser', () => {
  it('reads the header, stanzas split across chunks with their namespaces, and the close', () => {
    const { elements, opened, closed, error } = parse(
      header,
      "<iq type='get' id='1'><query xmlns='jabber:iq:ro",
      "ster'/></iq> <presence><show>away</show><status>a &amp; b</status></presence>",
      '</stream:stream>',
    )
    expect(error).toBeUndefined()
    expect(opened).toMatchObject({ to: 'example.com', version: '1.0' })
    expect(elements.map((e) => e.toString())).toEqual([
      '<iq type="get" id="1" xmlns="jabber:client"><query xmlns="jabber:iq:roster"/></iq>',
      '<presence xmlns="jabber:client"><show>away</show><status>a &amp; b</status></presence>',
    ])
    expect(elements[1]!.getChildText('status')).toBe('a & b')
    expect(closed).toBe(true)
  })

  it.each([
    [
      'an entity-expansion bomb',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>' +
        header.replace("<?xml version='1.0'?>", ''),
      'restricted-xml',
    ],
    [
      'an external entity',
      '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
        header.replace("<?xml version='1.0'?>", ''),
      'restricted-xml',
    ],
    ['an undefined entity', header + '<message><body>&xxe;</body></message>', 'not-well-formed'],
    ['invalid XML', header + '<message><body></message>', 'not-well-formed'],
    ['a comment', header + '<!-- hi --><presence/>', 'restricted-xml'],
    ['a processing instruction', header + '<?pi x?><presence/>', 'restricted-xml'],
    [
      'an oversized stanza',
      header + `<message><body>${'x'.repeat(3000)}</body></message>`,
      'policy-violation',
    ],
    ['deep nesting', header + '<a><b><c><d><e><f/></e></d></c></b></a>', 'policy-violation'],
    [
      'too many attributes',
      header + `<presence ${[...Array(9).keys()].map((i) => `a${i}='1'`).join(' ')}/>`,
      'policy-violation',
    ],
    ['a wrong stream element', "<stream xmlns='jabber:client'>", 'invalid-namespace'],
    ['text between stanzas', header + 'hello<presence/>', 'not-well-formed'],
  ])('ends the stream on %s', (_name, input, condition) => {
    expect(parse(input).error?.condition).toBe(condition)
  })

  it('bounds an unfinished stanza that never closes, chunk by chunk', () => {
    const chunks = [header, '<message><body>', ...Array(10).fill('y'.repeat(300))]
    expect(parse(...chunks).error?.condition).toBe('policy-violation')
  })

  it('refuses everything after its first error', () => {
    const stream = new XmlStream({ onOpen: () => {}, onElement: () => {}, onClose: () => {} })
    expect(() => stream.write('<a><')).toThrow(StreamError)
    expect(() => stream.write(header)).toThrow(StreamError)
  })
})

// The XML stream of one XMPP connection, parsed by saxes: the stream header, then each top-level
// element (stanza, nonza) as an ltx Element. Hardened: no DOCTYPE, no entity but the five of XML,
// no comments or processing instructions, and limits on stanza size, depth and attributes; any
// breach is a stream error with the condition of RFC 6120 §4.9.3. Transport layer.
import { Element } from 'ltx'
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes'

export const streamNs = 'http://etherx.jabber.org/streams'
export const clientNs = 'jabber:client'

/** Limits of one stream: a breach ends the stream with `policy-violation`. */
export interface XmlStreamLimits {
  /** Characters of one top-level element, from its `<` to its end. */
  readonly maxStanzaChars: number
  /** Nesting of elements inside a stanza (the stanza itself is 1). */
  readonly maxDepth: number
  /** Attributes of one element. */
  readonly maxAttributes: number
}

export const defaultXmlStreamLimits: XmlStreamLimits = {
  maxStanzaChars: 64 * 1024,
  maxDepth: 16,
  maxAttributes: 32,
}

/** Stream error conditions the server sends (RFC 6120 §4.9.3). */
export type StreamErrorCondition =
  | 'bad-format'
  | 'connection-timeout'
  | 'host-unknown'
  | 'internal-server-error'
  | 'invalid-namespace'
  | 'not-authorized'
  | 'not-well-formed'
  | 'policy-violation'
  | 'reset'
  | 'resource-constraint'
  | 'restricted-xml'
  | 'system-shutdown'
  | 'unsupported-stanza-type'
  | 'unsupported-version'
  | 'conflict'

/** Why a stream ends: the condition, and a text for the peer (never any input quoted back). */
export class StreamError extends Error {
  constructor(
    readonly condition: StreamErrorCondition,
    readonly text?: string,
  ) {
    super(text ?? condition)
  }
}

export interface XmlStreamHandlers {
  /** The stream header's attributes (local names; `xml:lang` kept as is) and its namespaces. */
  readonly onOpen: (attrs: Record<string, string>, ns: { stream: string; default: string }) => void
  /** One complete top-level element; its namespace is its `xmlns` attribute. */
  readonly onElement: (element: Element) => void
  /** The peer closed its stream (`</stream:stream>`). */
  readonly onClose: () => void
}

/** Attributes as ltx keeps them: qualified names but namespace declarations. */
const attributesOf = (node: SaxesTagNS): Record<string, string> => {
  const attrs: Record<string, string> = {}
  for (const attribute of Object.values(node.attributes) as SaxesAttributeNS[]) {
    if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue
    attrs[attribute.name] = attribute.value
  }
  return attrs
}

export class XmlStream {
  private readonly parser: SaxesParser<{ xmlns: true; position: true }>
  /** The open elements of the stanza being read, outermost first. */
  private readonly stack: Element[] = []
  private opened = false
  private stanzaStart = 0
  private attributes = 0
  private failed: StreamError | undefined

  constructor(
    private readonly handlers: XmlStreamHandlers,
    private readonly limits: XmlStreamLimits = defaultXmlStreamLimits,
  ) {
    const parser = new SaxesParser({ xmlns: true, position: true })
    this.parser = parser
    parser.on('doctype', () => this.fail('restricted-xml', 'a DOCTYPE is not allowed'))
    parser.on('comment', () => this.fail('restricted-xml', 'comments are not allowed'))
    parser.on('processinginstruction', () =>
      this.fail('restricted-xml', 'processing instructions are not allowed'),
    )
    parser.on('opentagstart', () => {
      this.attributes = 0
      if (this.stack.length === 0) this.stanzaStart = parser.position
    })
    parser.on('attribute', () => {
      if (++this.attributes > limits.maxAttributes)
        this.fail('policy-violation', `more than ${limits.maxAttributes} attributes`)
    })
    parser.on('opentag', (node) => this.openTag(node))
    parser.on('closetag', () => this.closeTag())
    parser.on('text', (text) => this.text(text))
    parser.on('cdata', (text) => this.text(text))
  }

  /** Feeds bytes of the stream; throws the StreamError that ends it. */
  write(chunk: string): void {
    if (this.failed) throw this.failed
    try {
      this.parser.write(chunk)
    } catch (error) {
      if (error instanceof StreamError) throw (this.failed = error)
      // saxes: malformed XML, an undefined entity, a bad character: never quoted back.
      throw (this.failed = new StreamError('not-well-formed', 'the XML is not well-formed'))
    }
    this.checkSize()
  }

  private fail(condition: StreamErrorCondition, text: string): never {
    throw new StreamError(condition, text)
  }

  /** The stanza being read (or the whitespace between two) is still within its size. */
  private checkSize(): void {
    if (this.parser.position - this.stanzaStart > this.limits.maxStanzaChars) {
      throw (this.failed = new StreamError(
        'policy-violation',
        `a stanza may have at most ${this.limits.maxStanzaChars} characters`,
      ))
    }
  }

  private openTag(node: SaxesTagNS): void {
    if (!this.opened) return this.openStream(node)
    if (this.stack.length >= this.limits.maxDepth)
      this.fail('policy-violation', `elements may nest at most ${this.limits.maxDepth} deep`)
    const parent = this.stack.at(-1)
    const parentNs = parent ? this.nsOf(parent) : undefined
    const attrs = attributesOf(node)
    if (node.uri !== parentNs) attrs['xmlns'] = node.uri
    const element = new Element(node.local, attrs)
    if (parent) parent.cnode(element)
    this.stack.push(element)
    this.checkSize()
  }

  private nsOf(element: Element): string | undefined {
    return element.attrs['xmlns'] as string | undefined
  }

  private openStream(node: SaxesTagNS): void {
    if (node.local !== 'stream' || node.uri !== streamNs)
      this.fail('invalid-namespace', 'the stream element must be stream:stream')
    this.opened = true
    this.stanzaStart = this.parser.position
    this.handlers.onOpen(attributesOf(node), { stream: node.uri, default: node.ns[''] ?? '' })
  }

  private closeTag(): void {
    const element = this.stack.pop()
    if (!element) return this.handlers.onClose()
    if (this.stack.length === 0) {
      this.checkSize()
      this.handlers.onElement(element)
      this.stanzaStart = this.parser.position
    }
  }

  private text(text: string): void {
    const parent = this.stack.at(-1)
    // Whitespace between stanzas is allowed (and used as a keepalive); other text is not.
    if (!parent) {
      if (text.trim() !== '') this.fail('not-well-formed', 'text outside a stanza')
      return
    }
    parent.t(text)
  }
}

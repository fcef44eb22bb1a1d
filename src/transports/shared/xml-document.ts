// One XML document from the network (a PIDF body, a pres-rules document), read with the XMPP
// gateway's hardened parser: no DOCTYPE, no entities but XML's five, no comments or processing
// instructions, limits on size, depth and attributes. Transport layer.
import type { Element } from 'ltx'
import { StreamError, XmlStream, streamNs } from '../xmpp/xml-stream.js'

/** Why a document was refused; never quotes the input back. */
export class XmlDocumentError extends Error {}

export interface XmlDocumentLimits {
  readonly maxChars: number
  readonly maxDepth: number
  readonly maxAttributes: number
}

/** The one root element of `text`, or an XmlDocumentError. */
export const parseXmlDocument = (text: string, limits: XmlDocumentLimits): Element => {
  const roots: Element[] = []
  const stream = new XmlStream(
    { onOpen: () => undefined, onElement: (e) => roots.push(e), onClose: () => undefined },
    {
      maxStanzaChars: limits.maxChars,
      maxDepth: limits.maxDepth,
      maxAttributes: limits.maxAttributes,
    },
  )
  try {
    stream.write(`<s:stream xmlns:s="${streamNs}">`)
    // The XML declaration is the one processing instruction a document may start with.
    stream.write(text.replace(/^\uFEFF?\s*<\?xml\s[^?]*\?>/, ''))
    stream.write('</s:stream>')
  } catch (error) {
    if (error instanceof StreamError) throw new XmlDocumentError(`bad XML: ${error.message}`)
    throw error
  }
  if (roots.length !== 1) throw new XmlDocumentError('the body must be one XML document')
  return roots[0]!
}

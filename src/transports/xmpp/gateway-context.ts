// What every connection of the XMPP gateway shares: the services, the TLS setting and context, the
// features of a bound stream, and the error sink; transport layer.
import type { SecureContext } from 'node:tls'
import type { Element } from 'ltx'
import type { NarvaroServices } from '../../app/services.js'

export interface XmppGatewayContext {
  readonly services: NarvaroServices
  /** `required`: nothing but STARTTLS before TLS; `optional`: PLAIN on a plain stream too. */
  readonly tls: 'required' | 'optional'
  readonly secureContext: SecureContext | undefined
  /** PBKDF2 iterations told to a client whose user is unknown (the same as real keys have). */
  readonly scramIterations: number
  /** Stream features offered after resource binding (roster versioning, stream management...). */
  readonly boundFeatures: readonly Element[]
  readonly onError: (error: unknown) => void
}

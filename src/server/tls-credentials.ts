// The certificate of a gateway (XMPP, SIP over TLS): the operator's files, or else a self-signed
// one for the organization's domain, generated once into the data directory (key readable by the
// service only) for development and loopback tools; composition root.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import type { Logger } from 'pino'

export interface TlsCredentials {
  readonly cert: string
  readonly key: string
}

export interface TlsSource {
  /** Names the gateway in the warning: `XMPP`, `SIP`. */
  readonly gateway: string
  /** The variable that names the certificate file, for the warning. */
  readonly certVariable: string
  readonly certFile: string | undefined
  readonly keyFile: string | undefined
  /** Where a generated certificate is kept: `<data>/xmpp-tls`, `<data>/sip-tls`. */
  readonly directory: string
  readonly domain: string
  /** False where a generated certificate is the design (a peer's key, pinned by the others). */
  readonly warn?: boolean
}

export const tlsCredentials = async (
  source: TlsSource,
  logger: Logger,
): Promise<TlsCredentials> => {
  if (source.certFile && source.keyFile) {
    return {
      cert: readFileSync(source.certFile, 'utf8'),
      key: readFileSync(source.keyFile, 'utf8'),
    }
  }
  const certFile = join(source.directory, 'self-signed-cert.pem')
  const keyFile = join(source.directory, 'self-signed-key.pem')
  if (existsSync(certFile) && existsSync(keyFile))
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
  const pems = await generate([{ name: 'commonName', value: source.domain }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: source.domain }] }],
  })
  mkdirSync(source.directory, { recursive: true, mode: 0o700 })
  writeFileSync(keyFile, pems.private, { mode: 0o600 })
  writeFileSync(certFile, pems.cert, { mode: 0o644 })
  if (source.warn !== false)
    logger.warn(
      { certFile },
      `${source.gateway}: no certificate configured (${source.certVariable}); generated a self-signed one`,
    )
  return { cert: pems.cert, key: pems.private }
}

// The XMPP gateway's certificate: the operator's files, or else a self-signed one for the
// organization's domain, generated once into the data directory (key readable by the service
// only) for development and loopback tools; composition root.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import type { Logger } from 'pino'
import type { NarvaroConfig } from './config.js'

export interface TlsCredentials {
  readonly cert: string
  readonly key: string
}

export const xmppTlsCredentials = async (
  config: NarvaroConfig,
  domain: string,
  logger: Logger,
): Promise<TlsCredentials> => {
  if (config.xmppCertFile && config.xmppKeyFile) {
    return {
      cert: readFileSync(config.xmppCertFile, 'utf8'),
      key: readFileSync(config.xmppKeyFile, 'utf8'),
    }
  }
  const directory = join(config.dataDir, 'xmpp-tls')
  const certFile = join(directory, 'self-signed-cert.pem')
  const keyFile = join(directory, 'self-signed-key.pem')
  if (existsSync(certFile) && existsSync(keyFile))
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') }
  const pems = await generate([{ name: 'commonName', value: domain }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: domain }] }],
  })
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  writeFileSync(keyFile, pems.private, { mode: 0o600 })
  writeFileSync(certFile, pems.cert, { mode: 0o644 })
  logger.warn(
    { certFile },
    'XMPP: no certificate configured (NARVARO_XMPP_CERT_FILE); generated a self-signed one',
  )
  return { cert: pems.cert, key: pems.private }
}

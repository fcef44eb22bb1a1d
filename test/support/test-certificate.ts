// One self-signed certificate for the test servers' gateways (XMPP, SIP over TLS): made at run time
// once per test process (never a key in the repository) by the server's own generator, and written
// where a server keeps the one it generated, which it then reads instead of making an RSA key; test
// support. It is kept in memory only, so nothing outlives the data directories.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLogger } from '../../src/server/logger.js'
import { tlsCredentials, type TlsCredentials } from '../../src/server/tls-credentials.js'

/** The process's certificate and key, by domain. */
const made = new Map<string, Promise<TlsCredentials>>()

/**
 * Puts the process's certificate for `domain` into `<dataDir>/<gateway>` (`xmpp-tls`, `sip-tls`):
 * the first one generated there by the server's code, later ones written with the modes it uses.
 */
export const seedTestCertificate = async (
  dataDir: string,
  gateway: 'xmpp-tls' | 'sip-tls',
  domain: string,
): Promise<void> => {
  const directory = join(dataDir, gateway)
  const known = made.get(domain)
  if (!known) {
    const generated = tlsCredentials(
      {
        ...{ gateway: 'test', certVariable: '', certFile: undefined, keyFile: undefined },
        ...{ directory, domain, warn: false },
      },
      createLogger('silent'),
    )
    made.set(domain, generated)
    generated.catch(() => made.delete(domain))
    await generated
    return
  }
  const { cert, key } = await known
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  writeFileSync(join(directory, 'self-signed-key.pem'), key, { mode: 0o600 })
  writeFileSync(join(directory, 'self-signed-cert.pem'), cert, { mode: 0o644 })
}

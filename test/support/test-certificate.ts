// One self-signed certificate for the test servers' gateways (XMPP, SIP over TLS): made at run time
// once per test process (never a key in the repository) by the server's own generator, and copied
// where a server keeps the one it generated, which it then reads instead of making an RSA key; test
// support.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '../../src/server/logger.js'
import { tlsCredentials } from '../../src/server/tls-credentials.js'

const certFile = 'self-signed-cert.pem'
const keyFile = 'self-signed-key.pem'

/** The directory of the process's certificate, by domain. */
const made = new Map<string, Promise<string>>()

const certificateOf = (domain: string): Promise<string> => {
  let directory = made.get(domain)
  if (!directory) {
    const dir = mkdtempSync(join(tmpdir(), 'narvaro-test-tls-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    directory = tlsCredentials(
      {
        ...{ gateway: 'test', certVariable: '', certFile: undefined, keyFile: undefined },
        ...{ directory: dir, domain, warn: false },
      },
      createLogger('silent'),
    ).then(() => dir)
    made.set(domain, directory)
  }
  return directory
}

/**
 * Puts the process's certificate for `domain` into `<dataDir>/<gateway>` (`xmpp-tls`, `sip-tls`)
 * with the modes the server gives a generated one.
 */
export const seedTestCertificate = async (
  dataDir: string,
  gateway: 'xmpp-tls' | 'sip-tls',
  domain: string,
): Promise<void> => {
  const source = await certificateOf(domain)
  const target = join(dataDir, gateway)
  mkdirSync(target, { recursive: true, mode: 0o700 })
  copyFileSync(join(source, keyFile), join(target, keyFile))
  chmodSync(join(target, keyFile), 0o600)
  copyFileSync(join(source, certFile), join(target, certFile))
  chmodSync(join(target, certFile), 0o644)
}

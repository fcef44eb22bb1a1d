// Drives @xmpp/client (xmpp.js, test/support/xmpp/xmppjs_driver.mjs) in its own Node process, which
// trusts the server's certificate through NODE_EXTRA_CA_CERTS as any Node program would. The second
// real XMPP client of the tests, beside python3-slixmpp.
import { fileURLToPath } from 'node:url'
import { DriverClient } from './driver-client.js'

const driverPath = fileURLToPath(new URL('./xmppjs_driver.mjs', import.meta.url))

export class XmppJsClient extends DriverClient {
  constructor(options: {
    username: string
    domain: string
    password: string
    resource: string
    port: number
    caFile: string
  }) {
    super(
      '@xmpp/client',
      process.execPath,
      [
        driverPath,
        options.username,
        options.domain,
        options.password,
        options.resource,
        String(options.port),
      ],
      { ...process.env, NODE_EXTRA_CA_CERTS: options.caFile },
    )
  }
}

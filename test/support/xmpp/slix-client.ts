// Drives python3-slixmpp (test/support/xmpp/slix_driver.py) from a test: commands as JSON lines in,
// every event it receives kept and awaitable. A real XMPP client nobody here wrote.
import { fileURLToPath } from 'node:url'
import { DriverClient, type DriverEvent } from './driver-client.js'

const driverPath = fileURLToPath(new URL('./slix_driver.py', import.meta.url))

export type SlixEvent = DriverEvent

export class SlixClient extends DriverClient {
  constructor(options: {
    jid: string
    password: string
    port: number
    mechanism?: string
    caFile: string
    /** XEP-0198 with resumption, and reconnecting when the connection drops. */
    streamManagement?: boolean
    /** Message carbons (XEP-0280), enabled at session start. */
    carbons?: boolean
  }) {
    super(
      'slixmpp',
      '/usr/bin/python3',
      [
        driverPath,
        options.jid,
        options.password,
        '127.0.0.1',
        String(options.port),
        options.mechanism ?? '',
        options.caFile,
      ],
      {
        ...process.env,
        ...(options.streamManagement ? { SLIX_SM: '1' } : {}),
        ...(options.carbons ? { SLIX_CARBONS: '1' } : {}),
      },
    )
  }
}

// Scenario sip-fanout: the fanout shape (N users on a ring, each watching its K neighbours, M
// changes each, paced then burst) with Närvaro's load speaking SIP to its gateway: each user is one
// phone on one TCP connection, with K presence subscriptions (SUBSCRIBE with digest, a NOTIFY with
// PIDF for every change, each answered 200) and its own presence sent by PUBLISH. The reference
// relay runs the same shape over WebSocket beside it.
import { freePort } from '../lib/free-port.js'
import { seedRing } from '../lib/seed-ring.js'
import { fanoutOver } from './fanout.js'

export const sipFanout = (ctx, options) =>
  fanoutOver('sip-fanout', ctx, options, async (n, k) => {
    const port = await freePort()
    return {
      // TCP, as desk phones on a LAN often use it; UDP would add the bench's own retransmissions.
      env: { NARVARO_SIP_PORT: String(port) },
      prepare: (dataDir) => seedRing(dataDir, n, k, 'sip'),
      load: { protocol: 'sip', host: '127.0.0.1', sipPort: port },
    }
  })

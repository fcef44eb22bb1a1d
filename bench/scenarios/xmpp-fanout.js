// Scenario xmpp-fanout: the fanout shape (N users on a ring, each watching its K neighbours, M
// changes each, paced then burst) with Närvaro's load speaking XMPP to its gateway: each user is one
// XMPP stream (SCRAM-SHA-256, a bound resource, the ring as its roster), publishing with
// <presence/> and receiving its contacts' presence. The reference relay runs the same shape over
// WebSocket beside it, so that other XMPP servers can be measured against the same relay.
import { freePort } from '../lib/free-port.js'
import { seedRing } from '../lib/seed-ring.js'
import { fanoutOver } from './fanout.js'

export const xmppFanout = (ctx, options) =>
  fanoutOver('xmpp-fanout', ctx, options, async (n, k) => {
    const port = await freePort()
    return {
      // Plain TCP on loopback, as for local tools: TLS would measure OpenSSL, not the gateway.
      env: { NARVARO_XMPP_PORT: String(port), NARVARO_XMPP_TLS: 'optional' },
      prepare: (dataDir) => seedRing(dataDir, n, k, 'scram'),
      load: { protocol: 'xmpp', host: '127.0.0.1', xmppPort: port },
    }
  })

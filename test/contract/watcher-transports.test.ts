// Runs the watcher transport contract on every live watcher channel of the real server: WebSocket
// (narvaro.v1), Server-Sent Events, webhooks and the XMPP gateway; contract tests.
import {
  serverSentEventsTransport,
  webSocketTransport,
  webhookTransport,
} from './watcher-transport-drivers.js'
import { describeWatcherTransport } from './watcher-transport-contract.js'
import { xmppEnv, xmppTransport } from './xmpp-watcher-driver.js'

describeWatcherTransport('WebSocket', webSocketTransport)
describeWatcherTransport('Server-Sent Events', serverSentEventsTransport)
describeWatcherTransport('webhooks', webhookTransport)
describeWatcherTransport('XMPP', xmppTransport, xmppEnv)

// A real XMPP client for Närvaro's tests: @xmpp/client (xmpp.js), driven by JSON lines on stdin and
// reporting what it receives as JSON lines on stdout. Nobody here wrote the XMPP side of it. It
// connects to 127.0.0.1 with STARTTLS (the certificate checked against the domain, trusted through
// NODE_EXTRA_CA_CERTS), signs in with what xmpp.js prefers (SCRAM-SHA-1), binds, and enables
// stream management when offered.
//
//   argv: username domain password resource port
//   stdin commands: {"op": "presence", "show": "dnd", "status": "..."} | {"op": "roster"}
//                   | {"op": "subscribe" | "subscribed", "to": jid}
//                   | {"op": "message", "to": jid, "body": "..."} | {"op": "disconnect"}
//   stdout events:  {"event": "session_start", "jid"} | {"event": "failed_auth"}
//                   | {"event": "presence", "frm", "type", "show", "status"}
//                   | {"event": "roster", "items": [...]} | {"event": "message", "frm", "body"}
//                   | {"event": "done", "op"} | {"event": "error", "op", "message"}
import process from 'node:process'
import { createInterface } from 'node:readline'
import { client, xml } from '@xmpp/client'

const [username, domain, password, resource, port] = process.argv.slice(2)
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')

// Each step of the negotiation may wait 15 s (xmpp.js waits 2 s by default): a loaded CI machine.
const xmpp = client({
  service: `xmpp://127.0.0.1:${port}`,
  domain,
  username,
  password,
  resource,
  timeout: 15_000,
})
xmpp.reconnect.stop()
xmpp.on('error', (error) =>
  emit({ event: 'client_error', message: String(error?.message ?? error) }),
)
xmpp.on('online', (address) => emit({ event: 'session_start', jid: address.toString() }))
xmpp.on('stanza', (stanza) => {
  if (stanza.is('presence'))
    emit({
      event: 'presence',
      frm: stanza.attrs.from,
      type: stanza.attrs.type ?? 'available',
      show: stanza.getChildText('show') ?? '',
      status: stanza.getChildText('status') ?? '',
    })
  else if (stanza.is('message') && stanza.getChild('body'))
    emit({
      event: 'message',
      frm: stanza.attrs.from,
      type: stanza.attrs.type,
      body: stanza.getChildText('body'),
    })
})

const roster = async () => {
  const result = await xmpp.iqCaller.get(xml('query', { xmlns: 'jabber:iq:roster' }))
  const items = result.getChildren('item').map((item) => ({
    jid: item.attrs.jid,
    subscription: item.attrs.subscription,
    ask: item.attrs.ask,
    groups: item.getChildren('group').map((group) => group.text()),
  }))
  emit({ event: 'roster', items })
}

const presence = ({ show, status }) =>
  xmpp.send(
    xml(
      'presence',
      {},
      show ? xml('show', {}, show) : undefined,
      status ? xml('status', {}, status) : undefined,
    ),
  )

const operations = {
  presence,
  roster,
  subscribe: ({ to }) => xmpp.send(xml('presence', { to, type: 'subscribe' })),
  subscribed: ({ to }) => xmpp.send(xml('presence', { to, type: 'subscribed' })),
  message: ({ to, body }) => xmpp.send(xml('message', { to, type: 'chat' }, xml('body', {}, body))),
  disconnect: async () => {
    await xmpp.stop().catch(() => undefined)
    process.exit(0)
  },
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = JSON.parse(line)
  try {
    await operations[command.op](command)
    emit({ event: 'done', op: command.op })
  } catch (error) {
    emit({ event: 'error', op: command.op, message: String(error?.message ?? error) })
  }
})

xmpp.start().catch((error) => {
  const refused =
    error?.name === 'SASLError' || /not-authorized/.test(String(error?.condition ?? error))
  emit(
    refused
      ? { event: 'failed_auth' }
      : { event: 'start_failed', name: error?.name, message: String(error?.message ?? error) },
  )
})

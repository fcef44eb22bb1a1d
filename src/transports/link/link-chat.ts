// XEP-0174 chat on the peer's link port: a link-local XMPP client (Pidgin's Bonjour, Gajim) opens a
// plain stream from its instance to ours and sends chat messages. The person is told each message
// (`onChat`); when the core's answer for that sender is not "accepted" the sender gets the busy
// signal at once as a reply (the situation, the note the sender may see, and another way). A
// sender the link never showed gets `not-authorized`. The stream is read by the XMPP gateway's
// hardened parser. Transport layer.
import type { Socket } from 'node:net'
import { Element } from 'ltx'
import type { NarvaroServices } from '../../app/services.js'
import type { DirectAnswer } from '../../core/reach/answer-direct.js'
import { XmlStream, StreamError, clientNs, streamNs } from '../xmpp/xml-stream.js'

/** Who this peer is, and whom an instance on the link is here. */
export interface LinkChatOptions {
  /** This peer's instance and person, and the organization of everyone on the link. */
  readonly instance: () => string
  readonly person: string
  readonly organizationId: string
  /** The address of the person an instance is here. */
  readonly addressOf: (instance: string) => string
  /** A chat message for the person, from `from` (an instance). */
  readonly onChat: (from: string, body: string) => void
  readonly onError: (error: unknown) => void
}

const escape = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\p{Cc}]/gu, ' ')

/** The busy signal as a chat line: "alice is in a meeting — “back at 3”; try voice sip:...". */
export const busyText = (answer: DirectAnswer): string => {
  const note = answer.note ? ` — “${answer.note}”` : ''
  const other = answer.alternative
    ? `; try ${answer.alternative.kind} ${answer.alternative.address}`
    : ''
  return `${answer.outcome === 'busy' ? 'Busy' : 'Unavailable'}: ${answer.text}${note}${other}`
}

type Sender = { instance: string; party: { address: string; organizationId: string } }

/** The reply to a chat of `sender`: nothing when the person takes it, else the busy signal. */
const replyTo = async (
  services: NarvaroServices,
  options: LinkChatOptions,
  sender: Sender,
): Promise<string | undefined> => {
  const answer = await services.availability.answerDirect(sender.party, options.person, 'im')
  if (answer.outcome === 'accepted') return undefined
  const reply = new Element('message', {
    from: options.instance(),
    to: sender.instance,
    type: 'chat',
  })
  reply.c('body').t(busyText(answer))
  return reply.toString()
}

/** Answers a stream header from the instance `from`: its sender, when the link showed it. */
const openStream = async (
  services: NarvaroServices,
  options: LinkChatOptions,
  from: string,
  write: (text: string) => void,
): Promise<Sender | undefined> => {
  write(
    `<?xml version='1.0'?><stream:stream xmlns='${clientNs}' xmlns:stream='${streamNs}' ` +
      `from='${escape(options.instance())}' to='${escape(from)}' version='1.0'>`,
  )
  const address = options.addressOf(from)
  const party = await services.directRequests.callerOf(address, options.organizationId)
  if (!party) return undefined
  write('<stream:features/>')
  return { instance: from, party }
}

/** Serves one XEP-0174 stream on `socket`, whose first bytes are `first`. */
export const serveLinkChat = (
  services: NarvaroServices,
  options: LinkChatOptions,
  socket: Socket,
  first: Buffer,
): void => {
  let sender: Sender | undefined
  const write = (text: string) => {
    if (!socket.destroyed) socket.write(text)
  }
  const fail = (condition: string) => {
    write(
      `<stream:error><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>`,
    )
    write('</stream:stream>')
    socket.end()
  }
  const opened = async (from: string) => {
    sender = await openStream(services, options, from, write)
    if (!sender) fail('not-authorized')
  }
  const chat = async (element: Element) => {
    const body = element.getChildText('body')
    if (!sender || element.name !== 'message' || !body) return
    options.onChat(sender.instance, body.replace(/[\p{Cc}]/gu, ' ').slice(0, 2000))
    const reply = await replyTo(services, options, sender)
    if (reply) write(reply)
  }
  const stream = new XmlStream({
    onOpen: (attrs) => void opened(attrs['from'] ?? '').catch(options.onError),
    onElement: (element) => void chat(element).catch(options.onError),
    onClose: () => fail('reset'),
  })
  socket.on('data', (chunk: Buffer) => feed(stream, chunk, fail, () => socket.destroy()))
  socket.on('error', () => socket.destroy())
  feed(stream, first, fail, () => socket.destroy())
}

/** Feeds bytes to the stream; a breach ends it with its condition. */
const feed = (
  stream: XmlStream,
  chunk: Buffer,
  fail: (condition: string) => void,
  destroy: () => void,
) => {
  try {
    stream.write(chunk.toString('utf8'))
  } catch (error) {
    if (error instanceof StreamError) return fail(error.condition)
    destroy()
  }
}

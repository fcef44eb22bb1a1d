// Parses and validates one text message of a real-time client against its schema; transport layer.
import { NarvaroError } from '../../core/errors.js'
import type { ClientMessage } from '../ws/ws-messages.js'
import { clientMessageValidators, isClientMessageType } from '../ws/ws-messages.js'

/** An error's details: the request's id when it has one (made only for an error: most messages have none). */
const detailsOf = (id: unknown): Record<string, string> =>
  typeof id === 'string' ? { id: id.slice(0, 64) } : {}

/** Returns the message, or throws `NRV_VALIDATION` / `NRV_UNKNOWN_MESSAGE` with the request id if any. */
export const parseClientMessage = (text: string): ClientMessage => {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new NarvaroError('NRV_VALIDATION', 'the message is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new NarvaroError('NRV_VALIDATION', 'a message is a JSON object with a `type`')
  }
  const { type, id } = parsed as { type?: unknown; id?: unknown }
  if (!isClientMessageType(type)) {
    throw new NarvaroError(
      'NRV_UNKNOWN_MESSAGE',
      `unknown message type ${JSON.stringify(type)?.slice(0, 40)}`,
      { details: detailsOf(id) },
    )
  }
  const validator = clientMessageValidators[type]
  if (!validator.Check(parsed)) {
    const first = [...validator.Errors(parsed)][0]
    const where = first?.instancePath ? ` at ${first.instancePath}` : ''
    throw new NarvaroError(
      'NRV_VALIDATION',
      `invalid ${type} message${where}: ${first?.message ?? 'bad shape'}`,
      { details: detailsOf(id) },
    )
  }
  return parsed as ClientMessage
}

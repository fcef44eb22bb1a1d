// The direct channel between Närvaro peers: JSON objects, one a line, over mutual TLS. The caller
// says who it is (`hello`), then asks for the view of the person (`watch`) and makes direct
// requests (`request`: a chat or a call), each answered accepted, busy or unavailable. Every line
// read is checked against its schema; a line too long or malformed ends that connection only.
// Transport layer.
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { ViewSchema } from '../../core/policy/view-schema.js'
import { ContactKindSchema } from '../shared/presence-schemas.js'

/** The longest line either side takes. */
export const maxLineBytes = 64 * 1024

const Instance = Type.String({ minLength: 1, maxLength: 255 })
const Id = Type.String({ minLength: 1, maxLength: 64 })

export const CallerMessage = Type.Union([
  Type.Object({ type: Type.Literal('hello'), instance: Instance }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('watch') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('request'), id: Id, kind: ContactKindSchema },
    { additionalProperties: false },
  ),
])
export type CallerMessage = Static<typeof CallerMessage>

export const AnswerSchema = Type.Object({
  type: Type.Literal('answer'),
  id: Id,
  outcome: Type.Union([
    Type.Literal('accepted'),
    Type.Literal('busy'),
    Type.Literal('unavailable'),
  ]),
  text: Type.String({ maxLength: 1000 }),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
  alternative: Type.Optional(
    Type.Object({ kind: ContactKindSchema, address: Type.String({ maxLength: 500 }) }),
  ),
})

export const PeerMessage = Type.Union([
  Type.Object({ type: Type.Literal('welcome'), instance: Instance }),
  Type.Object({ type: Type.Literal('view'), view: ViewSchema }),
  AnswerSchema,
  Type.Object({
    type: Type.Literal('error'),
    code: Type.String({ maxLength: 64 }),
    message: Type.String({ maxLength: 1000 }),
  }),
])
export type PeerMessage = Static<typeof PeerMessage>

export const callerMessage = Compile(CallerMessage)
export const peerMessage = Compile(PeerMessage)

/** Splits a stream into lines; a line beyond `maxLineBytes` is an error. */
export class LineReader {
  private pending = ''

  push(chunk: Buffer): string[] {
    this.pending += chunk.toString('utf8')
    const lines = this.pending.split('\n')
    this.pending = lines.pop() ?? ''
    if (Buffer.byteLength(this.pending) > maxLineBytes) throw new Error('line too long')
    return lines.filter((line) => line.trim() !== '')
  }
}

/** A line of JSON, checked against `schema`; undefined when it does not parse or pass. */
export const readLine = <T>(line: string, check: { Check(value: unknown): boolean }) => {
  if (Buffer.byteLength(line) > maxLineBytes) return undefined
  try {
    const value: unknown = JSON.parse(line)
    return check.Check(value) ? (value as T) : undefined
  } catch {
    return undefined
  }
}

// The board's live who query with each member's current view, also of people I do not watch: one
// live query per question, whose `joined` and `changed` messages bring a member's new entry (what I
// see of them, computed by the server from my own view) and whose `left` takes them off. Web app.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { LiveEvents, WhoEntry, WhoRequest } from '@narvaro/sdk'
import { t } from '../i18n/index.js'
import { live } from '../session.js'

type WhoChange = LiveEvents['who-change']

export interface WhoAnswer {
  /** The id of the live query. */
  readonly query: string
  readonly entries: ReadonlyMap<string, WhoEntry>
}

/**
 * The answer after one who-change; changes of other queries (another tab's, or one closed) leave it
 * as it is. `joined` and `changed` both put the member's whole entry: the server may replace a
 * waiting `joined` by a newer `changed`, so a `changed` can be the first word of someone.
 */
export const applyChange = (answer: WhoAnswer, event: WhoChange): WhoAnswer => {
  if (event.query !== answer.query) return answer
  const entries = new Map(answer.entries)
  if (event.op === 'left') {
    if (!entries.delete(event.address)) return answer
  } else if (event.entry) {
    entries.set(event.address, event.entry)
  } else return answer
  return { ...answer, entries }
}

const close = async (answer: WhoAnswer | undefined): Promise<void> => {
  if (!answer || !live) return
  await live.whoClose(answer.query).catch(() => undefined)
}

/** Opens the live query; changes that come before its answer are kept and applied after it. */
const open = async (request: WhoRequest): Promise<WhoAnswer> => {
  const client = live
  if (!client) throw new Error(t('boardNotConnected'))
  const early: WhoChange[] = []
  const stop = client.on('who-change', (event) => early.push(event))
  try {
    const ack = await client.who(request)
    const entries = new Map((ack.entries ?? []).map((entry) => [entry.address, entry]))
    return early.reduce(applyChange, { query: ack.query ?? '', entries })
  } finally {
    stop()
  }
}

/** The board's live answer and how to ask another question (undefined: no query, my watch list). */
export const useLiveWho = () => {
  const [answer, setAnswer] = useState<WhoAnswer | undefined>(undefined)
  const current = useRef<WhoAnswer | undefined>(undefined)
  current.current = answer
  const asked = useRef(0)
  const client = live
  useEffect(
    () =>
      client?.on('who-change', (event) =>
        setAnswer((previous) => previous && applyChange(previous, event)),
      ),
    [client],
  )
  // A query left open would count against the limit of live queries per person.
  useEffect(() => () => void close(current.current), [])
  const ask = async (request: WhoRequest | undefined): Promise<void> => {
    const previous = current.current
    current.current = undefined
    setAnswer(undefined)
    const mine = ++asked.current
    await close(previous)
    if (!request) return
    const opened = await open(request)
    // A newer question asked meanwhile wins: this answer's query would only hold a slot.
    if (mine === asked.current) setAnswer(opened)
    else await close(opened)
  }
  return [answer, ask] as const
}

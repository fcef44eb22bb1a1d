// The board's live who query with each member's current view, also of people I do not watch: a live
// query tells only who joins and leaves its answer, so the board opens one query per availability,
// and a member whose availability changes leaves one and joins another, whose entry brings the new
// view. Web app.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { LiveEvents, View, WhoEntry, WhoRequest } from '@narvaro/sdk'
import { t } from '../i18n/index.js'
import { live } from '../session.js'

type Availability = View['availability']
type WhoChange = LiveEvents['who-change']

/** Every availability a watcher can see: the queries of one answer cover them all. */
export const availabilities: readonly Availability[] = [
  'available',
  'busy',
  'do-not-disturb',
  'be-right-back',
  'away',
  'offline',
]

export interface WhoAnswer {
  /** The ids of the live queries, one per availability asked. */
  readonly queries: readonly string[]
  readonly entries: ReadonlyMap<string, WhoEntry>
  /** The query each member is in now: a `left` of the query a member moved from may come last. */
  readonly inQuery: ReadonlyMap<string, string>
}

/** The answer after one who-change; changes of other queries (another tab's) leave it as it is. */
export const applyChange = (answer: WhoAnswer, event: WhoChange): WhoAnswer => {
  if (!answer.queries.includes(event.query)) return answer
  const entries = new Map(answer.entries)
  const inQuery = new Map(answer.inQuery)
  if (event.op === 'joined' && event.entry) {
    entries.set(event.address, event.entry)
    inQuery.set(event.address, event.query)
  } else if (event.op === 'left' && inQuery.get(event.address) === event.query) {
    entries.delete(event.address)
    inQuery.delete(event.address)
  } else return answer
  return { ...answer, entries, inQuery }
}

const closeAll = async (answer: WhoAnswer | undefined): Promise<void> => {
  if (!answer || !live) return
  const client = live
  await Promise.all(answer.queries.map((query) => client.whoClose(query).catch(() => undefined)))
}

/** Opens one live query per availability; changes that come before every answer are kept. */
const openAll = async (
  request: WhoRequest,
  partitions: readonly Availability[],
): Promise<WhoAnswer> => {
  const client = live
  if (!client) throw new Error(t('boardNotConnected'))
  const early: WhoChange[] = []
  const stop = client.on('who-change', (event) => early.push(event))
  try {
    const settled = await Promise.allSettled(
      partitions.map((availability) => client.who({ ...request, availability: [availability] })),
    )
    const acks = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    const failed = settled.find((s) => s.status === 'rejected')
    const queries = acks.map((ack) => ack.query ?? '')
    if (failed) {
      await closeAll({ queries, entries: new Map(), inQuery: new Map() })
      throw failed.reason
    }
    const entries = new Map<string, WhoEntry>()
    const inQuery = new Map<string, string>()
    for (const ack of acks)
      for (const entry of ack.entries ?? []) {
        entries.set(entry.address, entry)
        inQuery.set(entry.address, ack.query ?? '')
      }
    return early.reduce(applyChange, { queries, entries, inQuery })
  } finally {
    stop()
  }
}

/** The board's live answer and how to ask another question (undefined: no query, my watch list). */
export const useLiveWho = () => {
  const [answer, setAnswer] = useState<WhoAnswer | undefined>(undefined)
  const current = useRef<WhoAnswer | undefined>(undefined)
  current.current = answer
  const client = live
  useEffect(
    () =>
      client?.on('who-change', (event) =>
        setAnswer((previous) => previous && applyChange(previous, event)),
      ),
    [client],
  )
  // Queries left open would count against the limit of live queries per person.
  useEffect(() => () => void closeAll(current.current), [])
  const ask = async (
    request: WhoRequest | undefined,
    partitions: readonly Availability[],
  ): Promise<void> => {
    const previous = current.current
    current.current = undefined
    setAnswer(undefined)
    await closeAll(previous)
    if (request) setAnswer(await openAll(request, partitions))
  }
  return [answer, ask] as const
}

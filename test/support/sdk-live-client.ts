// The SDK's live client as the tests use it: on the `ws` package (Node 20 has no global WebSocket),
// quick reconnects, and a record of every event; test support.
import { WebSocket } from 'ws'
import type {
  ChangeMessage,
  ConnectionState,
  NarvaroLiveOptions,
  SnapshotMessage,
  WebSocketConstructor,
} from '../../packages/sdk/src/index.js'
import { NarvaroLive } from '../../packages/sdk/src/index.js'

export interface RecordedLive {
  readonly live: NarvaroLive
  readonly changes: ChangeMessage[]
  readonly snapshots: SnapshotMessage[]
  readonly resyncs: SnapshotMessage[]
  readonly states: ConnectionState[]
  readonly welcomes: string[]
}

const clients: NarvaroLive[] = []

/** A live client recording its events; `closeAllLive` ends every one after a test. */
export const recordLive = (
  baseUrl: string,
  token: string,
  options: Partial<NarvaroLiveOptions> = {},
): RecordedLive => {
  const live = new NarvaroLive({
    baseUrl,
    token,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    backoff: { initialMs: 20, maxMs: 200, random: () => 1 },
    ...options,
  })
  clients.push(live)
  const record: RecordedLive = {
    live,
    changes: [],
    snapshots: [],
    resyncs: [],
    states: [],
    welcomes: [],
  }
  live.on('change', (m) => record.changes.push(m))
  live.on('snapshot', (m) => record.snapshots.push(m))
  live.on('resync', (m) => record.resyncs.push(m))
  live.on('state', (s) => record.states.push(s.state))
  live.on('welcome', (m) => record.welcomes.push(m.epoch))
  return record
}

export const closeAllLive = (): void => {
  for (const live of clients.splice(0)) live.close()
}

/** The notes of a presentity's changes, in the order they came. */
export const notesOf = (changes: readonly ChangeMessage[]): (string | undefined)[] =>
  changes.map((c) => c.view.note?.text)

/** Whether the seqs grow strictly (no duplicate, nothing out of order). */
export const strictlyIncreasing = (changes: readonly { seq: number }[]): boolean =>
  changes.every((c, i) => i === 0 || c.seq > changes[i - 1]!.seq)

// What a watcher resuming from a cursor is sent: the changes of its own view that it missed, or a
// snapshot marked `resync`; pure (the history and the time come in as arguments); app layer.
import type { Permissions } from '../../core/policy/permissions.js'
import { computeView } from '../../core/policy/compute-view.js'
import type { ViewPartStamps } from '../../core/policy/view-parts.js'
import { viewMayHaveChanged } from '../../core/policy/view-parts.js'
import type { HistoryEntry } from '../presence/index.js'
import { serializeView } from './view-json.js'
import { changeMessage, snapshotMessage } from './watch-messages.js'

/** The part of the presence history a resume reads. */
export interface ResumeHistory {
  since(
    address: string,
    cursor: number,
  ): { base?: HistoryEntry; changes: readonly HistoryEntry[] } | undefined
  stamps(address: string, cursor: number): ViewPartStamps | undefined
}

export interface Resume {
  readonly address: string
  /** The highest sequence number the watcher saw. */
  readonly cursor: number
  /** The highest sequence number given so far (the engine's cursor). */
  readonly at: number
  /** Its last connection ended with a message undelivered: it gets a fresh snapshot. */
  readonly marked: boolean
  readonly permissions: Permissions
  readonly current: HistoryEntry
  readonly history: ResumeHistory
}

export interface Sent {
  readonly message: string
  readonly seq: number
}

/** The JSON of the view of `entry` under `permissions` at `now`. */
export const viewJson = (entry: HistoryEntry, permissions: Permissions, now: number): string =>
  serializeView(computeView({ presence: entry.presence, profile: entry.profile, permissions, now }))

/**
 * What a resume sends: nothing where the watcher's view cannot have changed since `cursor`, so a
 * hidden change looks like none; the views that changed while the history reaches back; else a
 * snapshot marked `resync`, only when a part the view shows changed after the cursor (the view
 * parts' stamps, which hidden changes do not move). A cursor this server never gave resyncs.
 */
export const replay = (resume: Resume, now: number): readonly Sent[] => {
  const { address, cursor, permissions, current, history } = resume
  const resync = resume.marked || cursor > resume.at
  if (current.seq <= cursor && !resync) return []
  if (!resync) {
    const missed = history.since(address, cursor)
    if (missed?.base)
      return replayChanges(resume, { base: missed.base, changes: missed.changes }, now)
    const stamps = history.stamps(address, cursor)
    const subject = { presence: current.presence, profile: current.profile }
    if (stamps && !viewMayHaveChanged({ stamps, permissions, subject, cursor })) return []
  }
  const json = viewJson(current, permissions, now)
  return [{ message: snapshotMessage(address, resume.at, json, true), seq: resume.at }]
}

/** The changes of the watcher's view after `base`, each with its sequence number. */
const replayChanges = (
  resume: Resume,
  missed: { base: HistoryEntry; changes: readonly HistoryEntry[] },
  now: number,
): readonly Sent[] => {
  const sent: Sent[] = []
  let previous = viewJson(missed.base, resume.permissions, now)
  for (const entry of missed.changes) {
    const json = viewJson(entry, resume.permissions, now)
    if (json !== previous)
      sent.push({ message: changeMessage(resume.address, entry.seq, json), seq: entry.seq })
    previous = json
  }
  return sent
}

// Free/busy as one watcher may see it: only busy stretches and their kind, never what they are,
// and only with the `freeBusy` grant of an allowed, not hidden-from watcher; core layer, pure.
import type { Permissions } from './permissions.js'

export const freeBusyKinds = ['busy', 'out-of-office'] as const
export type FreeBusyKindName = (typeof freeBusyKinds)[number]

export interface BusyInterval {
  readonly startsAt: number
  readonly endsAt: number
  readonly kind: FreeBusyKindName
}

export interface FreeBusyView {
  readonly address: string
  readonly from: number
  readonly to: number
  /** False when policy does not show this watcher the person's free/busy (then `busy` is empty). */
  readonly shown: boolean
  readonly busy: readonly BusyInterval[]
}

/** True when these permissions let a watcher see free/busy. */
export const mayShowFreeBusy = (p: Permissions): boolean =>
  p.subscription === 'allow' && !p.appearOffline && p.freeBusy

/** Clips to the window and merges overlapping or touching stretches of the same kind. */
export const mergeBusy = (
  intervals: readonly BusyInterval[],
  window: { readonly from: number; readonly to: number },
): readonly BusyInterval[] => {
  const result: BusyInterval[] = []
  for (const kind of freeBusyKinds) {
    const clipped = intervals
      .filter((i) => i.kind === kind && i.endsAt > window.from && i.startsAt < window.to)
      .map((i) => ({
        kind,
        startsAt: Math.max(i.startsAt, window.from),
        endsAt: Math.min(i.endsAt, window.to),
      }))
      .sort((a, b) => a.startsAt - b.startsAt)
    let current: BusyInterval | undefined
    for (const i of clipped) {
      if (current && i.startsAt <= current.endsAt) {
        current = { ...current, endsAt: Math.max(current.endsAt, i.endsAt) }
        continue
      }
      if (current) result.push(current)
      current = i
    }
    if (current) result.push(current)
  }
  return result.sort((a, b) => a.startsAt - b.startsAt || (a.kind < b.kind ? -1 : 1))
}

/** What one watcher sees of a person's free/busy in a window. */
export const freeBusyView = (input: {
  readonly address: string
  readonly permissions: Permissions
  readonly intervals: readonly BusyInterval[]
  readonly window: { readonly from: number; readonly to: number }
}): FreeBusyView => {
  const { address, permissions, intervals, window } = input
  const shown = mayShowFreeBusy(permissions)
  return { address, ...window, shown, busy: shown ? mergeBusy(intervals, window) : [] }
}

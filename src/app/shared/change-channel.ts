// Typed listeners of the one change channel (the bus): presence changes and access changes; app layer.
import type {
  AccessEnded,
  AccountChanged,
  BusEvent,
  ChangeBus,
  PolicyScope,
  PresenceChanged,
} from '../../ports/bus.js'

/** Calls `handler` with every presence change on the bus; returns a function that stops it. */
export const onPresenceChanged = (
  bus: ChangeBus,
  handler: (event: PresenceChanged) => void,
): (() => void) =>
  bus.subscribe((event: BusEvent) => {
    if (event.type === 'presence-changed') handler(event)
  })

/** Calls `handler` with every end of access (tokens revoked or expired, users removed). */
export const onAccessEnded = (
  bus: ChangeBus,
  handler: (event: AccessEnded) => void,
): (() => void) =>
  bus.subscribe((event: BusEvent) => {
    if (event.type === 'access-ended') handler(event)
  })

/** Calls `handler` with every end of access and every change of an account record. */
export const onAccountEvent = (
  bus: ChangeBus,
  handler: (event: AccessEnded | AccountChanged) => void,
): (() => void) =>
  bus.subscribe((event: BusEvent) => {
    if (event.type === 'access-ended' || event.type === 'account-changed') handler(event)
  })

/** Calls `handler` with the scope of every policy change (rules, policy, groups, approvals, profiles). */
export const onPolicyChanged = (
  bus: ChangeBus,
  handler: (scope: PolicyScope) => void,
): (() => void) =>
  bus.subscribe((event: BusEvent) => {
    if (event.type === 'policy-changed') handler(event.scope)
  })

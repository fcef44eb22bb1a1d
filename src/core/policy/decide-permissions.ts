// Re-exports of the policy engine under the names the rest of the code uses; core layer.
export { everything, evaluatePolicy as decidePermissions } from './evaluate-policy.js'
export type { PolicyInput, PresentityParty, WatcherParty } from './evaluate-policy.js'

/** Who is on each side of a view. */
export interface Party {
  readonly address: string
  readonly organizationId: string
}

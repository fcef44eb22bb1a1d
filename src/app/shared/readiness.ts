// Whether each dependency of the server answers (the store; the change channel, which is Redis in a
// cluster), for /readyz; app layer.
import type { ChangeBus } from '../../ports/bus.js'

export type DependencyState = 'ok' | 'unavailable'

export class Readiness {
  constructor(
    private readonly probes: {
      readonly store: { ping(): Promise<void> }
      readonly bus: ChangeBus
    },
  ) {}

  /** Each dependency's state, probed at once. */
  async dependencies(): Promise<{ store: DependencyState; changeChannel: DependencyState }> {
    const state = (probe: Promise<void>) =>
      probe.then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      )
    const [store, changeChannel] = await Promise.all([
      state(this.probes.store.ping()),
      state(this.probes.bus.ping()),
    ])
    return { store, changeChannel }
  }
}

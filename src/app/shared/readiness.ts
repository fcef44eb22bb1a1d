// Whether each dependency of the server answers (the store; the change channel, which is Redis in a
// cluster), for /readyz; app layer.
import { NarvaroError } from '../../core/errors.js'
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

  /** Resolves with each dependency's state when all answer; else NRV_STORE_UNAVAILABLE naming them. */
  async check(): Promise<{ store: 'ok'; changeChannel: 'ok' }> {
    const dependencies = await this.dependencies()
    const { store, changeChannel } = dependencies
    if (store === 'ok' && changeChannel === 'ok') return { store, changeChannel }
    const down = Object.entries(dependencies).filter(([, s]) => s !== 'ok')
    const names = down.map(([name]) => name).join(', ')
    throw new NarvaroError('NRV_STORE_UNAVAILABLE', `unreachable: ${names}`, {
      details: { dependencies },
    })
  }
}

// Services that decide on views re-evaluate on a policy change itself, now that a policy change is no
// longer re-emitted as a presence change: notify-when-available tells the asker at once.
import { describe, expect, it } from 'vitest'
import { stopServices } from '../../../src/app/services.js'
import type { WatcherSink } from '../../../src/app/watching/index.js'
import { hour, t0 } from '../../support/publications.js'
import { servicesWithAmyAndBob } from '../../support/services-fixture.js'

describe('a policy change alone', () => {
  it('tells a notify-when-available asker once the presentity is available in their view', async () => {
    const { services, amy, bob, errors } = await servicesWithAmyAndBob()
    services.engine.publish(amy.address, {
      source: { id: 'laptop', kind: 'device' },
      state: { availability: 'available' },
      publishedAt: t0,
      expiresAt: t0 + hour,
    })
    await services.privacy.setPrivacy(amy, { appearOfflineTo: [bob.address] })
    const told: Record<string, unknown>[] = []
    const sink: WatcherSink = {
      watcher: bob,
      send: (message) => told.push(JSON.parse(message) as Record<string, unknown>),
    }
    services.hub.attachUser(sink)
    const watch = await services.notify.create(bob, amy.address, t0 + hour)
    expect(watch.state).toBe('waiting')
    await services.privacy.setPrivacy(amy, {})
    expect(told).toEqual([
      expect.objectContaining({ type: 'available', watch: watch.id, address: amy.address }),
    ])
    expect(services.notify.list(bob.address)).toEqual([])
    expect(errors).toEqual([])
    await stopServices(services)
  })
})

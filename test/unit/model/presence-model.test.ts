// The presence vocabulary of DESIGN.md as it is spelled in the model; unit tests.
import { describe, expect, it } from 'vitest'
import {
  activityKinds,
  asynchronousContactKinds,
  availabilities,
  contactKinds,
  manualAvailabilities,
  sourceAvailabilities,
  sourceKinds,
} from '../../../src/core/model/presence-model.js'

describe('the presence vocabulary', () => {
  it('has the availabilities of DESIGN.md, without invisible', () => {
    expect(availabilities).toEqual([
      'available',
      'busy',
      'do-not-disturb',
      'be-right-back',
      'away',
      'offline',
    ])
  })

  it('lets only a manual choice be invisible', () => {
    expect(manualAvailabilities).toEqual([...availabilities, 'invisible'])
    expect(sourceAvailabilities).not.toContain('invisible')
  })

  it('never lets a live source publish offline: offline is the absence of sources', () => {
    expect(sourceAvailabilities).not.toContain('offline')
    expect(sourceAvailabilities).toEqual(availabilities.filter((a) => a !== 'offline'))
  })

  it('has the activities and contact kinds of DESIGN.md', () => {
    expect(activityKinds).toEqual([
      'in-a-call',
      'in-a-conference',
      'in-a-meeting',
      'presenting',
      'focusing',
      'out-of-office',
      'on-vacation',
      'commuting',
      'off-work',
      'custom',
    ])
    expect(contactKinds).toEqual(['im', 'voice', 'video', 'sms', 'email', 'phone'])
  })

  it('treats sms and email as the store-and-forward contact kinds', () => {
    expect(asynchronousContactKinds).toEqual(['sms', 'email'])
  })

  it('knows the source kinds of DESIGN.md', () => {
    expect(sourceKinds).toEqual([
      'device',
      'manual',
      'phone',
      'conference',
      'calendar',
      'integration',
      'schedule',
    ])
  })
})

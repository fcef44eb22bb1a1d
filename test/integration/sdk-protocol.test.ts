// The SDK's types of the real-time protocol against the server's schemas (ServerMessages): every
// server message type has an SDK type, and every message the server may send fits it. Type-level
// checks, run by `npm run lint` (tsc) as much as by vitest.
import type { Static } from 'typebox'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { ServerMessageMap } from '../../packages/sdk/src/index.js'
import type { ServerMessageType } from '../../src/transports/ws/ws-messages.js'
import { ServerMessages } from '../../src/transports/ws/ws-messages.js'

// The server's schemas mark lists readonly (its own data is never mutated); on the wire that is the
// same JSON, and the SDK hands its user plain arrays.
type Mutable<T> = T extends readonly (infer E)[]
  ? Mutable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T
type Served = { [K in ServerMessageType]: Mutable<Static<(typeof ServerMessages)[K]>> }

describe('the SDK protocol types', () => {
  it('name every message type the server sends, and no other', () => {
    expectTypeOf<keyof ServerMessageMap>().toEqualTypeOf<ServerMessageType>()
    const sdkTypes: Record<keyof ServerMessageMap, true> = {
      welcome: true,
      snapshot: true,
      change: true,
      unwatched: true,
      ack: true,
      error: true,
      pong: true,
      'access-ended': true,
      'token-ended': true,
      watcher: true,
      subscription: true,
      'who-change': true,
      invitation: true,
      gathering: true,
      'invitation-ended': true,
      'gathering-ended': true,
      available: true,
      'notify-expired': true,
    }
    expect(Object.keys(sdkTypes).sort()).toEqual(Object.keys(ServerMessages).sort())
  })

  it('accept every message the server schemas allow', () => {
    // Each entry is `true` only when every message the server's schema allows fits the SDK type.
    const fits: { [K in ServerMessageType]: Served[K] extends ServerMessageMap[K] ? true : false } =
      {
        welcome: true,
        snapshot: true,
        change: true,
        unwatched: true,
        ack: true,
        error: true,
        pong: true,
        'access-ended': true,
        'token-ended': true,
        watcher: true,
        subscription: true,
        'who-change': true,
        invitation: true,
        gathering: true,
        'invitation-ended': true,
        'gathering-ended': true,
        available: true,
        'notify-expired': true,
      }
    expect(Object.values(fits).every(Boolean)).toBe(true)
  })
})

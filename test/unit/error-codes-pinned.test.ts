// Error codes are pinned: a code once published is never renamed, removed, reused with another
// status, or added without being pinned here (as Fastify pins its error codes).
import { describe, expect, it } from 'vitest'
import { errorTable } from '../../src/core/errors.js'

/** Every code ever published, with its status. Append only: never edit or delete a line. */
const pinned: Readonly<Record<string, number>> = {
  NRV_VALIDATION: 400,
  NRV_ADDRESS_INVALID: 400,
  NRV_UNAUTHENTICATED: 401,
  NRV_FORBIDDEN: 403,
  NRV_NOT_FOUND: 404,
  NRV_CONFLICT: 409,
  NRV_PUBLICATION_STALE: 409,
  NRV_PAYLOAD_TOO_LARGE: 413,
  NRV_RATE_LIMITED: 429,
  NRV_UNKNOWN_MESSAGE: 400,
  NRV_INTERNAL: 500,
  NRV_STORE_UNAVAILABLE: 503,
  NRV_SHUTTING_DOWN: 503,
  NRV_CONFIG_INVALID: 500,
  NRV_BUSY: 503,
  NRV_PASSWORD_CHANGE_REQUIRED: 403,
  NRV_PASSWORD_WEAK: 400,
  NRV_BAD_REQUEST: 400,
  NRV_REQUEST_TIMEOUT: 408,
  NRV_URI_TOO_LONG: 414,
  NRV_UNSUPPORTED_MEDIA_TYPE: 415,
  NRV_HEADERS_TOO_LARGE: 431,
}

describe('error codes', () => {
  it('every pinned code is still in the table, with its status', () => {
    for (const [code, status] of Object.entries(pinned)) {
      expect(errorTable, code).toHaveProperty(code)
      expect(errorTable[code as keyof typeof errorTable].status, code).toBe(status)
    }
  })

  it('every code of the table is pinned (a new code is added to the pinned list too)', () => {
    expect(Object.keys(errorTable).filter((code) => !(code in pinned))).toEqual([])
  })
})

// The one error class and its table of codes; unit tests.
import { describe, expect, it } from 'vitest'
import { errorTable, isNarvaroError, NarvaroError } from '../../src/core/errors.js'

describe('NarvaroError', () => {
  it('carries a code, its status, details and a cause', () => {
    const cause = new Error('disk full')
    const error = new NarvaroError('NRV_STORE_UNAVAILABLE', 'store unreachable', {
      details: { retryAfterMs: 100 },
      cause,
    })
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      name: 'NarvaroError',
      code: 'NRV_STORE_UNAVAILABLE',
      status: 503,
    })
    expect(error.message).toBe('store unreachable')
    expect(error.details).toEqual({ retryAfterMs: 100 })
    expect(error.cause).toBe(cause)
  })

  it('has empty details and no cause by default', () => {
    const error = new NarvaroError('NRV_VALIDATION', 'bad')
    expect(error.details).toEqual({})
    expect(error.cause).toBeUndefined()
  })

  it.each(Object.entries(errorTable))('%s has the status of its table row', (code, { status }) => {
    expect(new NarvaroError(code as keyof typeof errorTable, 'x').status).toBe(status)
  })

  it('has the codes and statuses of STYLE.md', () => {
    expect(errorTable).toMatchObject({
      NRV_VALIDATION: { status: 400 },
      NRV_ADDRESS_INVALID: { status: 400 },
      NRV_UNAUTHENTICATED: { status: 401 },
      NRV_NOT_FOUND: { status: 404 },
      NRV_PUBLICATION_STALE: { status: 409 },
      NRV_RATE_LIMITED: { status: 429 },
      NRV_STORE_UNAVAILABLE: { status: 503 },
    })
  })
})

describe('isNarvaroError', () => {
  it('recognizes only NarvaroError', () => {
    expect(isNarvaroError(new NarvaroError('NRV_INTERNAL', 'x'))).toBe(true)
    expect(isNarvaroError(new Error('x'))).toBe(false)
    expect(isNarvaroError({ code: 'NRV_INTERNAL' })).toBe(false)
    expect(isNarvaroError(undefined)).toBe(false)
  })
})

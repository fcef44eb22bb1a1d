// Configuration: defaults, environment and flags, and a clear error naming a bad value.
import { describe, expect, it } from 'vitest'
import { defaultConfig, loadConfig } from '../../../src/server/config.js'

describe('loadConfig', () => {
  it('uses defaults, then the environment, then flags', () => {
    expect(loadConfig({})).toEqual(defaultConfig)
    const config = loadConfig({ NARVARO_PORT: '8000', NARVARO_IDLE_AFTER: '60' }, { port: '9000' })
    expect(config.port).toBe(9000)
    expect(config.idleAfterMs).toBe(60_000)
    expect(loadConfig({}).xmppHeaderTimeoutMs).toBe(10_000)
    expect(loadConfig({ NARVARO_XMPP_HEADER_TIMEOUT: '1' }).xmppHeaderTimeoutMs).toBe(1000)
  })

  it('names the variable or flag and the bad value', () => {
    expect(() => loadConfig({ NARVARO_PORT: 'eighty' })).toThrow(
      /NARVARO_PORT="eighty": must be an integer/,
    )
    expect(() => loadConfig({}, { 'log-level': 'loud' })).toThrow(
      /--log-level="loud": must be one of/,
    )
    expect(() => loadConfig({ NARVARO_DOMAIN: 'not a domain' })).toThrow(/NARVARO_DOMAIN/)
  })

  it('never echoes a bad admin password', () => {
    expect(() => loadConfig({ NARVARO_ADMIN_PASSWORD: 'short' })).toThrow(
      /NARVARO_ADMIN_PASSWORD=\(hidden\)/,
    )
    try {
      loadConfig({ NARVARO_ADMIN_PASSWORD: 'short' })
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('short"')
      expect((error as { code: string }).code).toBe('NRV_CONFIG_INVALID')
    }
  })

  it('reads NARVARO_METRICS_TOKEN, and never echoes a bad one', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined()
    const token = 'metrics-0123456789-abcdef'
    expect(loadConfig({ NARVARO_METRICS_TOKEN: token }).metricsToken).toBe(token)
    expect(() => loadConfig({ NARVARO_METRICS_TOKEN: 'tiny' })).toThrow(
      /NARVARO_METRICS_TOKEN=\(hidden\)/,
    )
  })

  it("takes an argon2 cost at or above OWASP's minimum and refuses one below it", () => {
    expect(loadConfig({})).toMatchObject({ passwordHashMemoryMib: 64, passwordHashPasses: 3 })
    const floor = { NARVARO_PASSWORD_HASH_MEMORY: '19', NARVARO_PASSWORD_HASH_PASSES: '2' }
    expect(loadConfig(floor)).toMatchObject({ passwordHashMemoryMib: 19, passwordHashPasses: 2 })
    expect(() => loadConfig({ NARVARO_PASSWORD_HASH_MEMORY: '18' })).toThrow(
      /NARVARO_PASSWORD_HASH_MEMORY="18": must be at least 19: .*OWASP/,
    )
    expect(() => loadConfig({ NARVARO_PASSWORD_HASH_PASSES: '1' })).toThrow(
      /NARVARO_PASSWORD_HASH_PASSES="1": must be at least 2: .*OWASP/,
    )
    expect(() => loadConfig({ NARVARO_PASSWORD_HASH_MEMORY: '19.5' })).toThrow(/must be an integer/)
  })

  it('lets the server connect to public addresses only by default', () => {
    expect(defaultConfig.outboundHosts).toBe('public')
  })
})

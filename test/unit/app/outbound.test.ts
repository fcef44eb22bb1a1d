// Where the server may connect on its own (NARVARO_OUTBOUND_HOSTS): entries, names, domains, addresses
// and ranges, checked up front and again in the connection's own lookup, against a real local HTTP
// server; unit tests.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  OutboundPolicy,
  outboundRefusedCode,
  refusedReason,
} from '../../../src/app/shared/outbound.js'

const server = createServer((_request, response) => response.end('ok'))
let port = 0
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** The text it answered, or the code of the policy's refusal. */
const get = async (policy: OutboundPolicy, host: string): Promise<string> => {
  try {
    return await (await policy.fetch(`http://${host}:${port}/`)).text()
  } catch (error) {
    return refusedReason(error) === undefined ? `failed: ${String(error)}` : outboundRefusedCode
  } finally {
    await policy.close()
  }
}

describe('OutboundPolicy', () => {
  it('reads names, *.domains, addresses and ranges, and names the entry it cannot read', () => {
    expect(new OutboundPolicy().text).toBe('public')
    expect(
      () => new OutboundPolicy('cal.example.com, *.example.org 10.0.0.0/8,fd00::/8'),
    ).not.toThrow()
    expect(() => new OutboundPolicy('')).toThrow(/at least one entry/)
    expect(() => new OutboundPolicy('10.0.0.0/33')).toThrow(/10.0.0.0\/33/)
    expect(() => new OutboundPolicy('cal.example.com, http://x')).toThrow(/http:\/\/x/)
    expect(() => new OutboundPolicy('a/b')).toThrow(/a\/b/)
  })

  it('allows by name, by domain, by address and by range, and refuses the rest', async () => {
    const policy = new OutboundPolicy(
      'cal.example.com *.corp.example 10.1.0.0/16 192.0.2.7 fd00::/8',
    )
    const allows = (url: string) => policy.allows(new URL(url))
    expect(await allows('https://cal.example.com/a.ics')).toBe(true)
    expect(await allows('https://CAL.example.com/a.ics')).toBe(true)
    expect(await allows('https://x.corp.example/a.ics')).toBe(true)
    // A name that matches no entry and does not resolve (.test never does) is left to the connection,
    // which fails on its own: the early check does not claim a refusal it cannot know.
    expect(await allows('https://corp.example.evil.test/a.ics')).toBe(true)
    expect(await allows('http://10.1.200.3/a.ics')).toBe(true)
    expect(await allows('http://10.2.0.1/a.ics')).toBe(false)
    expect(await allows('http://192.0.2.7/')).toBe(true)
    expect(await allows('http://192.0.2.8/')).toBe(false)
    expect(await allows('http://[fd00::1]/')).toBe(true)
    expect(await allows('http://[fe80::1]/')).toBe(false)
    expect(await allows('http://169.254.169.254/latest/meta-data/')).toBe(false)
    // A name is resolved: localhost is loopback, not in any range here.
    expect(await allows('http://localhost/')).toBe(false)
    expect(await new OutboundPolicy('*').allows(new URL('http://169.254.169.254/'))).toBe(true)
  })

  it('connects where allowed, and refuses in the connection itself where not', async () => {
    expect(await get(new OutboundPolicy('*'), '127.0.0.1')).toBe('ok')
    expect(await get(new OutboundPolicy(), '127.0.0.1')).toBe(outboundRefusedCode)
    expect(await get(new OutboundPolicy(), 'localhost')).toBe(outboundRefusedCode)
    expect(await get(new OutboundPolicy('public, 127.0.0.1'), '127.0.0.1')).toBe('ok')
    expect(await get(new OutboundPolicy('127.0.0.0/8'), '127.0.0.1')).toBe('ok')
    expect(await get(new OutboundPolicy('10.0.0.0/8'), '127.0.0.1')).toBe(outboundRefusedCode)
    // By name: the address localhost resolves to does not matter.
    expect(await get(new OutboundPolicy('localhost'), 'localhost')).toBe('ok')
    // Not by name: the connection's lookup keeps only allowed addresses (here 127.0.0.1).
    expect(await get(new OutboundPolicy('127.0.0.1'), 'localhost')).toBe('ok')
    expect(await get(new OutboundPolicy('10.0.0.0/8, cal.example.com'), 'localhost')).toBe(
      outboundRefusedCode,
    )
  })
})

// The gateway's client transactions: over UDP a NOTIFY is sent again at 0.5, 1, 2, 4, 4... seconds
// until answered; over TCP never; an answer ends it with its status, none in 32 s with 408.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SipTransactions } from '../../../src/transports/sip/sip-transactions.js'
import type { SipResponse } from '../../../src/transports/sip/sip-message.js'

const response = (status: number, callId: string, cseq: number): SipResponse =>
  ({
    kind: 'response',
    status,
    reason: '',
    headers: new Map([
      ['call-id', callId],
      ['cseq', `${cseq} NOTIFY`],
    ]),
    body: '',
  }) as unknown as SipResponse

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
  })
})
afterEach(() => vi.useRealTimers())

describe('SIP client transactions', () => {
  it('once stopped, ends what is pending with 408 and sends nothing more, not even again', async () => {
    const transactions = new SipTransactions()
    let writes = 0
    const pending = transactions.send('NOTIFY', { callId: 'c', cseq: 1 }, () => writes++, false)
    transactions.stop()
    expect(await pending).toBe(408)
    // A request finished after the stop (its socket is closing) is not sent at all.
    const late = transactions.send('NOTIFY', { callId: 'c', cseq: 2 }, () => writes++, false)
    expect(await late).toBe(408)
    await vi.advanceTimersByTimeAsync(40_000)
    expect(writes).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('resends over UDP with doubling intervals up to 4 s, and stops at the answer', async () => {
    const transactions = new SipTransactions()
    const sent: number[] = []
    const status = transactions.send(
      'NOTIFY',
      { callId: 'a', cseq: 1 },
      () => {
        sent.push(performance.now())
      },
      false,
    )
    const start = sent[0]!
    await vi.advanceTimersByTimeAsync(11_600)
    expect(sent.map((t) => t - start)).toEqual([0, 500, 1500, 3500, 7500, 11500])
    transactions.answered(response(200, 'a', 1))
    expect(await status).toBe(200)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(sent).toHaveLength(6)
  })

  it('sends once over TCP and counts no answer in 32 s as 408; a 1xx only stops resending', async () => {
    const transactions = new SipTransactions()
    let writes = 0
    const late = transactions.send('NOTIFY', { callId: 'b', cseq: 7 }, () => writes++, true)
    let settled: number | undefined
    void late.then((s) => (settled = s))
    await vi.advanceTimersByTimeAsync(31_000)
    expect(settled).toBeUndefined()
    await vi.advanceTimersByTimeAsync(2_100)
    expect(settled).toBe(408)
    expect(writes).toBe(1)

    const udp = transactions.send('NOTIFY', { callId: 'c', cseq: 1 }, () => writes++, false)
    transactions.answered(response(100, 'c', 1))
    await vi.advanceTimersByTimeAsync(5_000)
    expect(writes).toBe(2)
    transactions.answered(response(481, 'c', 1))
    expect(await udp).toBe(481)
    transactions.stop()
  })
})

// Test doubles for the SDK's unit tests: timers moved by hand and a WebSocket driven by the test.
import type { Timers, WebSocketLike } from '../src/index.js'

/** Timers that fire only when the test moves time with `advance`. */
export class ManualTimers implements Timers {
  now = 0
  private tasks = new Map<number, { at: number; callback: () => void }>()
  private next = 0

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.next
    this.tasks.set(id, { at: this.now + ms, callback })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number)
  }

  advance(ms: number): void {
    const until = this.now + ms
    for (;;) {
      const due = [...this.tasks.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.tasks.delete(due[0])
      this.now = due[1].at
      due[1].callback()
    }
    this.now = until
  }
}

/** A WebSocket the test opens, feeds and closes; every instance is kept in `sockets`. */
export class FakeWebSocket implements WebSocketLike {
  static sockets: FakeWebSocket[] = []
  readyState = 0
  readonly sent: Record<string, unknown>[] = []
  onopen: ((event: never) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  onerror: ((event: never) => void) | null = null

  constructor(readonly url: string) {
    FakeWebSocket.sockets.push(this)
  }

  static get last(): FakeWebSocket {
    const socket = FakeWebSocket.sockets.at(-1)
    if (!socket) throw new Error('no socket opened')
    return socket
  }

  open(): void {
    this.readyState = 1
    this.onopen?.(undefined as never)
  }

  receive(message: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(message) })
  }

  welcome(epoch = 'e1', heartbeatMs = 1000): void {
    this.open()
    this.receive({
      type: 'welcome',
      protocol: 'narvaro.v1',
      session: 's',
      address: 'bo@acme.example',
      epoch,
      heartbeatMs,
    })
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code, reason })
  }
}

// A Server-Sent Events test client over fetch: parses the stream into events a test can wait for.
export interface SseEvent {
  readonly event: string
  readonly id?: string
  readonly data: Record<string, unknown>
}

export class SseClient {
  readonly events: SseEvent[] = []
  private readCount = 0
  private readonly controller = new AbortController()
  status = 0
  /** Set once the server ended the stream (or close() aborted it). */
  private endedBy: Promise<void> = Promise.resolve()

  /** Resolves when the stream has ended. */
  get ended(): Promise<void> {
    return this.endedBy
  }

  static async open(
    url: string,
    token: string,
    options: { query?: string; lastEventId?: string; path?: string } = {},
  ): Promise<SseClient> {
    const client = new SseClient()
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
    }
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId
    const path = options.path ?? '/v1/events'
    const response = await fetch(`${url}${path}${options.query ? `?${options.query}` : ''}`, {
      headers,
      signal: client.controller.signal,
    })
    client.status = response.status
    if (response.ok && response.body) client.endedBy = client.read(response.body)
    return client
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
        }
      }
    } catch {
      // aborted by close()
    }
  }

  private parse(block: string): void {
    let event = 'message'
    let id: string | undefined
    let data = ''
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('id: ')) id = line.slice(4)
      else if (line.startsWith('data: ')) data += line.slice(6)
    }
    if (data)
      this.events.push({
        event,
        ...(id ? { id } : {}),
        data: JSON.parse(data) as Record<string, unknown>,
      })
  }

  async next(event: string, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const index = this.events.findIndex((e, i) => i >= this.readCount && e.event === event)
      if (index >= 0) {
        this.readCount = index + 1
        return this.events[index]!
      }
      if (Date.now() > deadline) throw new Error(`no ${event} event in time`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  close(): void {
    this.controller.abort()
  }
}

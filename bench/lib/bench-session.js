// What every bench client connection has, whatever protocol it speaks (narvaro.v1 over WebSocket,
// XMPP): the user it is, whom it watches, the last view of each, and pausing its reading; bench support.

export class BenchSession {
  /** @param {import('./client-session.js').SessionOptions} options */
  constructor(options) {
    this.options = options
    this.user = options.user
    this.watch = options.watch
    /** @type {Map<string, { availability: string, text: string | undefined }>} */
    this.views = new Map()
    this.subscribed = new Set()
    this.pendingSnapshots = new Set()
    this.paused = false
    this.closed = false
    this.epoch = undefined
    /** The connection: a RawWebSocket or a net.Socket, both with pause and resume. */
    this.socket = undefined
  }

  /** Stops reading: the kernel buffers fill, then the server must hold (or drop) what is sent. */
  pause() {
    this.paused = true
    this.socket?.pause()
  }

  resume() {
    this.paused = false
    this.socket?.resume()
  }

  terminate() {
    this.closed = true
    if (this.socket?.terminate) this.socket.terminate()
    else this.socket?.destroy()
  }
}

// The source address and port of each WebSocket connection the load generator opens, chosen here
// rather than by the kernel. Left to the kernel, each connect() searched the ephemeral range for a
// port not yet connected to the same server (`__inet_hash_connect`), and with thousands of
// connections to one server that search was the load's largest cost: a third of a load worker's
// busy time in a 19,000-session reconnect storm (`internalConnect`, 8–14 s of 30–43 s), and what
// varied most from storm to storm. Bound to a port picked here, connect() searches nothing.
// Bench support.

/** Ports below the kernel's ephemeral range (32768–60999 here), so that no connect() takes one. */
const firstPort = 10_000
const lastPort = 32_767
/** Ports per connection at most in use: a port freed by a reset is free at once, so 1.5 is room. */
const room = 1.5

export class SourcePorts {
  /**
   * @param {object} options
   * @param {number} options.slot this load worker's index (workers share the ports, each its span)
   * @param {number} options.slots the load workers
   * @param {number} options.connections the connections this worker holds at once at most
   */
  constructor({ slot, slots, connections }) {
    this.span = Math.floor((lastPort + 1 - firstPort) / slots)
    this.from = firstPort + slot * this.span
    // 127.0.0.x all reach the loopback servers; each has its own ports.
    const addresses = Math.max(1, Math.ceil((connections * room) / this.span))
    this.addresses = Array.from({ length: addresses }, (_, i) => `127.0.0.${i + 1}`)
    this.cursor = 0
  }

  /**
   * The next source in turn (each address, then the next port): a port is used again only after
   * every other one was, long after the reset that freed it. One still in use (another process's,
   * or this worker's when it holds nearly all) fails its bind with EADDRINUSE: take the next.
   * @returns {{ localAddress: string, localPort: number }}
   */
  next() {
    const at = this.cursor++ % (this.span * this.addresses.length)
    return {
      localAddress: this.addresses[at % this.addresses.length],
      localPort: this.from + Math.floor(at / this.addresses.length),
    }
  }
}

/** How many sources a connection tries before its EADDRINUSE counts as a failure. */
export const sourceAttempts = 100

// ciao on Linux: a socket bound to 0.0.0.0:5353 receives the multicast of every interface on which
// any socket of the machine joined the group (IP_MULTICAST_ALL), so ciao would answer a query that
// came in on an interface the person did not choose, by unicast to its sender, which leaves through
// that other interface. This wraps ciao's packet handler once so that a packet is taken only when
// its sender is in the subnet of the interface it is handled for: the peer never speaks to a network
// it was not given. Node has no way to clear IP_MULTICAST_ALL. Transport layer.
import { MDNSServer } from '@homebridge/ciao/lib/MDNSServer.js'

interface Handler {
  handleMessage(name: string, buffer: Buffer, rinfo: { address: string }, family: string): void
  networkManager: { getInterface(name: string): { ipv4?: string; ip4Netmask?: string } | undefined }
}

/** Whether two IPv4 addresses are in the same subnet of `netmask`. */
export const sameSubnet = (a: string, b: string, netmask: string): boolean => {
  const parts = (ip: string) => ip.split('.').map(Number)
  const [x, y, m] = [parts(a), parts(b), parts(netmask)]
  return m.length === 4 && m.every((bits, i) => ((x[i]! ^ y[i]!) & bits) === 0)
}

let wrapped = false

/** Wraps ciao's handler (once per process). */
export const keepCiaoOnItsLink = (): void => {
  if (wrapped) return
  wrapped = true
  const prototype = MDNSServer.prototype as unknown as Handler
  const original = prototype.handleMessage
  prototype.handleMessage = function (this: Handler, name, buffer, rinfo, family) {
    if (family === 'IPv4') {
      const own = this.networkManager.getInterface(name)
      if (!own?.ipv4 || !own.ip4Netmask || !sameSubnet(own.ipv4, rinfo.address, own.ip4Netmask))
        return
    }
    original.call(this, name, buffer, rinfo, family)
  }
}

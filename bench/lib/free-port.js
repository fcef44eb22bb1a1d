// A free loopback port for a gateway a scenario starts (taken from the kernel, then released); bench
// support.
import net from 'node:net'

export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

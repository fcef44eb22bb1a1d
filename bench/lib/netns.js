// A small network of its own for the serverless tests and the bench's link-fanout scenario: network
// namespaces ("hosts") joined by a bridge in one more namespace, so that multicast DNS never reaches
// the root namespace, whose interfaces lead out of this machine. Needs root (ip netns). Types in
// netns.d.ts; bench and test support.
import { execFileSync, spawn } from 'node:child_process'

const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] })

let links = 0

/** Creates `count` hosts on one bridged link, 10.<n>.0.1 and up. */
export const createLink = (count) => {
  if (process.getuid?.() !== 0)
    throw new Error('the serverless tests make network namespaces: run them as root (ip netns)')
  const tag = `${process.pid % 10_000}${links++}`
  const subnet = 60 + ((process.pid + links) % 150)
  const sw = `nrv${tag}sw`
  const hosts = []
  try {
    ip('netns', 'add', sw)
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', sw, 'link', 'set', 'br0', 'up')
    for (let i = 0; i < count; i++) {
      const host = {
        ns: `nrv${tag}h${i}`,
        iface: `eth${i}`,
        address: `10.${subnet}.0.${i + 1}`,
      }
      ip('netns', 'add', host.ns)
      ip('-n', host.ns, 'link', 'set', 'lo', 'up')
      ip(
        'link',
        'add',
        host.iface,
        'netns',
        host.ns,
        'type',
        'veth',
        'peer',
        'name',
        `p${i}`,
        'netns',
        sw,
      )
      ip('-n', sw, 'link', 'set', `p${i}`, 'master', 'br0', 'up')
      ip('-n', host.ns, 'addr', 'add', `${host.address}/24`, 'dev', host.iface)
      ip('-n', host.ns, 'link', 'set', host.iface, 'up')
      hosts.push(host)
    }
  } catch (error) {
    destroyAll(sw, hosts)
    throw error
  }
  const children = new Set()
  let wires = 0
  return {
    hosts,
    wire: (a, b) => {
      const [one, two] = [hosts[a], hosts[b]]
      const n = wires++
      const addresses = { a: `10.${subnet}.${n + 1}.1`, b: `10.${subnet}.${n + 1}.2` }
      ip(
        'link',
        'add',
        `w${n}a`,
        'netns',
        one.ns,
        'type',
        'veth',
        'peer',
        'name',
        `w${n}b`,
        'netns',
        two.ns,
      )
      ip('-n', one.ns, 'addr', 'add', `${addresses.a}/24`, 'dev', `w${n}a`)
      ip('-n', two.ns, 'addr', 'add', `${addresses.b}/24`, 'dev', `w${n}b`)
      ip('-n', one.ns, 'link', 'set', `w${n}a`, 'up')
      ip('-n', two.ns, 'link', 'set', `w${n}b`, 'up')
      return addresses
    },
    spawn: (host, command, args, env = process.env) => {
      const child = spawn('ip', ['netns', 'exec', host.ns, command, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      children.add(child)
      child.once('exit', () => children.delete(child))
      return child
    },
    run: (host, command, args, env = process.env) =>
      execFileSync('ip', ['netns', 'exec', host.ns, command, ...args], {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      }),
    destroy: () => {
      for (const child of children) child.kill('SIGKILL')
      destroyAll(sw, hosts)
    },
  }
}

const destroyAll = (sw, hosts) => {
  for (const ns of [...hosts.map((h) => h.ns), sw]) {
    try {
      ip('netns', 'del', ns)
    } catch {
      // already gone
    }
  }
}

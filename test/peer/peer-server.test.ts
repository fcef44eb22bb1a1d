// A peer that joins a server (`narvaro peer --join URL`): the office's Närvaro server runs on a third
// machine of the link. Ada's peer publishes her presence there and shows, beside the link's people,
// the people she watches on the server as that server shows them to her; nothing of the server goes
// onto the link (Carl's peer, on the link only, never sees Bob). When the server is gone, Ada's peer
// goes on with the link (Bob fades, Carl's changes still arrive) and joins again when it is back; her
// peer's goodbye retracts her presence on the server.
import { execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPeer, type PeerProcess } from '../support/link-peer.js'
import { createLink, type Host, type Link } from '../support/netns.js'
import { eventually, testPasswordCost } from '../support/server-harness.js'

const cliPath = join(import.meta.dirname, '..', '..', 'bin', 'narvaro.js')
const dir = mkdtempSync(join(tmpdir(), 'narvaro-join-'))
const adminPassword = 'office-server-admin-pw'
/** Ada's peer and Bob's `narvaro connect` try the restarted server again within 2 s, not 30. */
const quickReconnect = { NARVARO_RECONNECT_MAX: '2' }

let link: Link
let office: Host
let url: string
let server: ChildProcess | undefined
let bobOnline: ChildProcess | undefined
let ada: PeerProcess
let carl: PeerProcess
let peerTokenId: string

/** `narvaro ARGS` on the office machine as `who` (each has their own CLI sign-in). */
const officeCli = (
  who: string,
  args: readonly string[],
  more: { env?: NodeJS.ProcessEnv; input?: string } = {},
) =>
  execFileSync('ip', ['netns', 'exec', office.ns, process.execPath, cliPath, ...args], {
    env: { ...process.env, NARVARO_CONFIG_DIR: join(dir, who), NARVARO_URL: url, ...more.env },
    encoding: 'utf8',
    timeout: 30_000,
    ...(more.input === undefined ? {} : { input: more.input }),
  })

/** The office's server, on its machine's address of the link (the same data each start). */
const startOfficeServer = async () => {
  server = link.spawn(
    office,
    process.execPath,
    [cliPath, 'serve', '--host', office.address, '--port', '7450', '--domain', 'example.com'],
    {
      ...process.env,
      NARVARO_DATA_DIR: join(dir, 'server'),
      ...testPasswordCost,
      NARVARO_ADMIN_PASSWORD: adminPassword,
      NARVARO_LOG_LEVEL: 'warn',
    },
  )
  const ready = `fetch('${url}/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`
  await eventually(() => {
    try {
      link.run(office, process.execPath, ['-e', ready])
      return true
    } catch {
      return false
    }
  }, 30_000)
}

/** What `who` sees of `address` on the office server. */
const officeView = (who: string, address: string) =>
  (JSON.parse(officeCli(who, ['--json', 'status', 'get', address])) as { view: ServerView }).view
interface ServerView {
  availability: string
  note?: { text: string }
}

beforeAll(async () => {
  link = createLink(3)
  office = link.hosts[2]!
  url = `http://${office.address}:7450`
  await startOfficeServer()
  const bobPassword = 'bob-password-in-the-lab'
  officeCli('ada', ['login', 'admin@example.com'], { env: { NARVARO_PASSWORD: adminPassword } })
  officeCli('ada', ['user', 'add', 'bob', '--name', 'Bob', '--password-stdin'], {
    input: `${bobPassword}\n`,
  })
  officeCli('bob', ['login', 'bob@example.com'], {
    env: { NARVARO_PASSWORD: bobPassword, NARVARO_NEW_PASSWORD: `${bobPassword}-own` },
  })
  officeCli('ada', ['subscribe', 'bob@example.com'])
  officeCli('bob', ['subscribe', 'admin@example.com'])
  // Bob is at his desk, on the server only: online through a device, busy in the lab.
  bobOnline = link.spawn(office, process.execPath, [cliPath, 'connect'], {
    ...process.env,
    ...quickReconnect,
    NARVARO_CONFIG_DIR: join(dir, 'bob'),
    NARVARO_URL: url,
  })
  officeCli('bob', ['status', 'set', 'busy', '--note', 'in the lab'])
  const token = JSON.parse(officeCli('ada', ['--json', 'token', 'create', 'peer'])) as {
    token: string
    tokenInfo: { id: string }
  }
  writeFileSync(join(dir, 'ada-token'), token.token, { mode: 0o600 })
  peerTokenId = token.tokenInfo.id
}, 120_000)

afterAll(async () => {
  bobOnline?.kill('SIGKILL')
  await ada?.stop('SIGKILL')
  await carl?.stop('SIGKILL')
  ada?.remove()
  carl?.remove()
  server?.kill('SIGKILL')
  link?.destroy()
  rmSync(dir, { recursive: true, force: true })
})

const bobHere = 'bob.example.com@local'

describe('a peer joined to a server', { timeout: 180_000 }, () => {
  it('shows the server’s people beside the link’s, and publishes the person there', async () => {
    ada = await startPeer(link, link.hosts[0]!, {
      ...{ name: 'ada', machine: 'alpha' },
      args: ['--join', url, '--join-token-file', join(dir, 'ada-token')],
      env: quickReconnect,
    })
    carl = await startPeer(link, link.hosts[1]!, { name: 'carl', machine: 'beta' })
    await eventually(() => ada.output().includes(`joined ${url} as admin@example.com`), 20_000)

    // Bob as the server shows him to Ada, and Carl from the link.
    await eventually(() => ada.who().get(bobHere)?.availability === 'busy', 20_000)
    expect(ada.who().get(bobHere)).toMatchObject({ note: 'in the lab', name: 'Bob' })
    await eventually(() => ada.who().has('carl.beta@local'), 20_000)

    // Ada's status on her peer is her presence on the server.
    await eventually(() => officeView('bob', 'admin@example.com').availability === 'available')
    ada.cli('status', 'set', 'do-not-disturb', '--note', 'writing')
    await eventually(() => officeView('bob', 'admin@example.com').availability === 'do-not-disturb')
    expect(officeView('bob', 'admin@example.com').note?.text).toBe('writing')
    // A change of Bob's on the server reaches Ada's peer.
    officeCli('bob', ['status', 'set', 'away', '--note', 'lunch'])
    await eventually(() => ada.who().get(bobHere)?.note === 'lunch', 10_000)
    expect(ada.who().get(bobHere)?.availability).toBe('away')

    // Nothing of the server goes onto the link: Carl sees Ada, never Bob.
    await eventually(() => carl.who().get('ada.alpha@local')?.availability === 'do-not-disturb')
    expect([...carl.who().keys()].some((address) => address.includes('bob'))).toBe(false)
  })

  it('goes on with the link when the server is gone, and joins again when it is back', async () => {
    server!.kill('SIGKILL')
    await eventually(() => ada.output().includes(`${url} is gone: working from the link`), 30_000)
    // Bob fades (his views are no longer renewed); the link goes on.
    await eventually(
      () => !ada.who().has(bobHere) || ada.who().get(bobHere)?.availability === 'offline',
      20_000,
    )
    carl.cli('status', 'set', 'busy', '--note', 'on the phone')
    await eventually(() => ada.who().get('carl.beta@local')?.note === 'on the phone', 10_000)

    await startOfficeServer()
    await eventually(() => ada.output().includes(`back on ${url}`), 60_000)
    await eventually(() => ada.who().get(bobHere)?.availability === 'away', 30_000)
    await eventually(
      () => officeView('bob', 'admin@example.com').availability === 'do-not-disturb',
      20_000,
    )
  })

  it('ends at once when the server revokes the token, and leaves no presence there', async () => {
    officeCli('ada', ['token', 'revoke', peerTokenId])
    await eventually(() => ada.output().includes('ended access (token-revoked)'), 10_000)
    expect(ada.who().get(bobHere)?.availability ?? 'offline').toBe('offline')
    // The link goes on.
    carl.cli('status', 'set', 'available', '--clear-note')
    await eventually(() => ada.who().get('carl.beta@local')?.availability === 'available', 10_000)
    await ada.stop('SIGTERM')
    await eventually(
      () => officeView('bob', 'admin@example.com').availability === 'offline',
      20_000,
    )
  })

  it('starts again from the link when the server refuses its token, with one CLI sign-in', async () => {
    ada = await startPeer(link, link.hosts[0]!, {
      ...{ name: 'ada', machine: 'alpha', dir: ada.dir },
      args: ['--join', url, '--join-token-file', join(dir, 'ada-token')],
    })
    await eventually(() => ada.output().includes(`${url} refused the token: not joined`), 20_000)
    await eventually(() => ada.who().get('carl.beta@local')?.availability === 'available', 20_000)
    type Token = { name: string; revokedAt?: number }
    const tokens = JSON.parse(ada.cli('--json', 'token', 'list')) as Token[]
    const signIns = tokens.filter((t) => t.name === 'narvaro peer')
    expect(signIns.map((t) => (t.revokedAt === undefined ? 'active' : 'revoked')).sort()).toEqual([
      'active',
      'revoked',
    ])
  })
})

// The bench ring seeded for a gateway's load: each of the first `n` users subscribed (active) to its
// `k` ring neighbours (the XMPP roster; the subscriptions a SIP SUBSCRIBE finds), with the
// credentials that gateway checks for the one bench password (SCRAM keys for XMPP, digest HA1s for
// SIP), written into a run's copy of the template database through the store adapter of dist/
// before Närvaro starts; bench support.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from './targets.js'
import { ringIndices, userAddress, userPassword } from './users.js'

const dist = (path) => import(pathToFileURL(join(repoRoot, 'dist', path)).href)

/** The SIP credentials of `address` for the bench password, made as the server makes them. */
const sipDigestOf = async (address) => {
  const { digestHash, sipIdentityOf } = await dist('app/accounts/sip-credentials.js')
  const { username, realm } = sipIdentityOf(address)
  const secret = `${username}:${realm}:${userPassword}`
  const [md5, sha256] = [digestHash('MD5', secret), digestHash('SHA-256', secret)]
  return { username, realm, md5, sha256, setAt: Date.now() }
}

/** Seeds the ring of `n` users watching `k` each, with `credentials`: `scram` or `sip`. */
export const seedRing = async (dataDir, n, k, credentials) => {
  const { openSqliteStore } = await dist('adapters/store/sqlite/sqlite-store.js')
  const { deriveScramKeys } = await dist('app/accounts/scram-keys.js')
  const store = await openSqliteStore({ file: join(dataDir, 'narvaro.db') })
  try {
    const scram = credentials === 'scram' ? await deriveScramKeys(userPassword) : undefined
    const ids = []
    for (let index = 0; index < n; index++) {
      const user = await store.getUserByAddress(userAddress(index))
      if (!user) throw new Error(`bench user ${userAddress(index)} is missing`)
      ids.push(user.id)
      await store.updateUser(
        user.id,
        scram ? { scram } : { sipDigest: await sipDigestOf(user.address) },
      )
    }
    const createdAt = Date.now()
    for (let index = 0; index < n; index++) {
      await store.putSubscriptions(
        ringIndices(index, n, k).map((j) => ({
          watcherId: ids[index],
          presentityId: ids[j],
          state: 'active',
          createdAt,
        })),
      )
    }
  } finally {
    await store.close()
  }
}

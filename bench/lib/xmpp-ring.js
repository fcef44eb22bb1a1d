// The XMPP roster of the bench ring: each of the first `n` users subscribed (active) to its `k`
// ring neighbours, and SCRAM keys for the one bench password, written into a run's copy of the
// template database through the store adapter of dist/ before Närvaro starts; bench support.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from './targets.js'
import { ringIndices, userAddress, userPassword } from './users.js'

const dist = (path) => import(pathToFileURL(join(repoRoot, 'dist', path)).href)

export const seedXmppRing = async (dataDir, n, k) => {
  const { openSqliteStore } = await dist('adapters/store/sqlite/sqlite-store.js')
  const { deriveScramKeys } = await dist('app/accounts/scram-keys.js')
  const store = await openSqliteStore({ file: join(dataDir, 'narvaro.db') })
  try {
    const scram = await deriveScramKeys(userPassword)
    const ids = []
    for (let index = 0; index < n; index++) {
      const user = await store.getUserByAddress(userAddress(index))
      if (!user) throw new Error(`bench user ${userAddress(index)} is missing`)
      ids.push(user.id)
      await store.updateUser(user.id, { scram })
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

// Maps app results to reply bodies: what leaves the server and nothing more; transport layer.
import type { ApiToken, User } from '../../app/accounts/index.js'

export const userReply = (user: User) => ({
  id: user.id,
  address: user.address,
  displayName: user.displayName,
  ...(user.title === undefined ? {} : { title: user.title }),
  role: user.role,
  timeZone: user.timeZone,
  ...(user.workingHours ? { workingHours: user.workingHours } : {}),
  createdAt: user.createdAt,
})

export const tokenReply = (token: ApiToken) => ({
  id: token.id,
  name: token.name,
  createdAt: token.createdAt,
  ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
  ...(token.revokedAt === undefined ? {} : { revokedAt: token.revokedAt }),
  ...(token.lastUsedAt === undefined ? {} : { lastUsedAt: token.lastUsedAt }),
})

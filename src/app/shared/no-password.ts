// The stored password hash of a user who has no password yet; shared by accounts and the directory
// import; app layer.

/**
 * The password hash of a user who has no password yet (bulk import): not an argon2 string, so it
 * never verifies; an admin sets a password later (`PUT /v1/users/{address}/password`).
 */
export const noPasswordHash = '!no-password'

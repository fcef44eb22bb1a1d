// The password policy: a minimum length and no common password (a maintained list of breached
// passwords, read in-process); the message never repeats the password; app layer.
import { dictionary } from '@zxcvbn-ts/language-common'
import { NarvaroError } from '../../core/errors.js'

/** The same minimum as NARVARO_ADMIN_PASSWORD's. */
export const minPasswordLength = 12
export const maxPasswordLength = 1024

let common: ReadonlySet<string> | undefined

/** The list is loaded once, on the first check, so client commands never pay for it. */
const commonPasswords = (): ReadonlySet<string> =>
  (common ??= new Set(dictionary['passwords-common']))

/**
 * A common password as typed, or with digits and symbols around it (`Password2024!`), or the same
 * short run repeated (`monkeymonkey`): all are among the first guesses of any attacker.
 */
const isCommon = (password: string): boolean => {
  const list = commonPasswords()
  const lower = password.toLowerCase()
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '')
  const repeated = /^(.{1,6}?)\1+$/.exec(lower)?.[1]
  return list.has(lower) || (core.length >= 4 && list.has(core)) || repeated !== undefined
}

/** Why a password is refused, or `undefined` when it is acceptable. */
export const passwordProblem = (
  password: string,
  context: { readonly address?: string } = {},
): string | undefined => {
  if (password.length < minPasswordLength) {
    return `the password must be at least ${minPasswordLength} characters`
  }
  if (password.length > maxPasswordLength) {
    return `the password must be at most ${maxPasswordLength} characters`
  }
  if (isCommon(password)) return 'the password is too common: choose a longer, less usual one'
  if (context.address !== undefined && password.toLowerCase() === context.address.toLowerCase()) {
    return 'the password must not be your address'
  }
  return undefined
}

/** Throws `NRV_PASSWORD_WEAK` with the reason when the policy refuses the password. */
export const checkPassword = (password: string, context: { readonly address?: string } = {}) => {
  const problem = passwordProblem(password, context)
  if (problem) throw new NarvaroError('NRV_PASSWORD_WEAK', problem)
}

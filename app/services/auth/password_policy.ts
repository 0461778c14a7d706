import { COMMON_PASSWORDS } from '#services/auth/common_passwords'

/**
 * Bumped whenever the rules below get stricter: users whose password was last set under
 * an older version are flagged by `node ace users:enforce-password-policy`.
 */
export const PASSWORD_POLICY_VERSION = 1
export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 128

/** Every rule the password breaks, in the order a person would fix them. */
export function passwordProblems(password: string, email?: string | null): string[] {
  const problems: string[] = []
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long`)
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    problems.push(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long`)
  }
  if (!/\p{L}/u.test(password) || !/\p{N}/u.test(password)) {
    problems.push('The password must contain both letters and digits')
  }
  const lowered = password.toLowerCase()
  if (email) {
    const address = email.toLowerCase()
    const localPart = address.split('@')[0]
    if (lowered.includes(address) || (localPart.length >= 4 && lowered.includes(localPart))) {
      problems.push('The password must not contain your email address')
    }
  }
  if (COMMON_PASSWORDS.has(lowered)) {
    problems.push('This password is too common; choose a less predictable one')
  }
  return problems
}

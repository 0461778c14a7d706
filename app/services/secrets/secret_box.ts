import encryption from '@adonisjs/core/services/encryption'

/*
 * Secrets at rest (SIP and trunk passwords, API keys, webhook secrets) are encrypted with
 * the app key (AES-256-GCM). The database never holds them in clear; responses show them
 * only once, at creation or rotation, and masked afterwards.
 */

export function sealSecret(plain: string | null | undefined): string | null {
  if (plain === null || plain === undefined || plain === '') return null
  return encryption.encrypt(plain)
}

export function openSecret(sealed: string | null | undefined): string | null {
  if (!sealed) return null
  const value = encryption.decrypt<string>(sealed)
  if (value === null)
    throw new Error('A stored secret could not be decrypted: was APP_KEY changed?')
  return value
}

/** First and last 2 characters for recognition, everything else hidden. */
export function maskSecret(plain: string | null | undefined): string | null {
  if (!plain) return null
  if (plain.length <= 8) return '•'.repeat(8)
  return `${plain.slice(0, 2)}${'•'.repeat(8)}${plain.slice(-2)}`
}

/**
 * Lucid column options for an encrypted column: the model attribute holds the clear text,
 * the database the ciphertext. Use with `serializeAs: null` so it never leaks in JSON.
 */
export const encryptedColumn = {
  prepare: (value: string | null) => sealSecret(value),
  consume: (value: string | null) => openSecret(value),
  serializeAs: null,
}

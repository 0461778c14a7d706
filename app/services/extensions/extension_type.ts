import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Extension from '#models/extension'
import type { ExtensionConfiguration } from '#models/extension'
import type { ExtensionStatus, ExtensionType } from '#enums/extensions'
import { assertSipUsernameFree, generateSipPassword } from '#services/extensions/sip_credentials'

export type ExtensionInput = {
  number?: string
  name?: string
  type?: ExtensionType
  status?: ExtensionStatus
  voicemailEnabled?: boolean
  configuration?: ExtensionConfiguration
  userId?: number | null
  sipUsername?: string
  sipPassword?: string
}

/**
 * Applies type, configuration, user and SIP credentials to an extension being written.
 * A configuration is reset when the type changes (keys of the old type mean nothing to
 * the new one). Returns the SIP password when one was just created for a new user
 * extension, so the caller can show it once; null otherwise.
 */
export async function applyType(
  extension: Extension,
  input: ExtensionInput,
  trx: TransactionClientContract,
) {
  const wasUser = extension.$isPersisted && extension.type === 'user'
  const type = input.type ?? extension.type
  const typeChanged = extension.$isPersisted && type !== extension.type
  extension.type = type
  if (input.configuration !== undefined || typeChanged || !extension.$isPersisted)
    extension.configuration = input.configuration ?? {}
  if (type !== 'user') {
    extension.merge({ userId: null, sipUsername: null, sipPassword: null, voicemailEnabled: false })
    return null
  }
  if (input.userId !== undefined) extension.userId = input.userId
  const username = input.sipUsername ?? extension.sipUsername ?? extension.number
  if (username !== extension.sipUsername || !extension.$isPersisted) {
    await assertSipUsernameFree(extension.organizationId, username, extension.id ?? null, trx)
    extension.sipUsername = username
  }
  if (wasUser && !input.sipPassword) return null
  extension.sipPassword = input.sipPassword ?? generateSipPassword()
  return wasUser ? null : extension.sipPassword
}

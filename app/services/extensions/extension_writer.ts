import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import Extension, { type ExtensionConfiguration } from '#models/extension'
import AuditTrail from '#services/audit/audit_trail'
import { serializeExtension } from '#transformers/extension_transformer'
import {
  defaultFollowMe,
  defaultForwarding,
  type ExtensionStatus,
  type ExtensionType,
} from '#enums/extensions'
import { assertSipUsernameFree, generateSipPassword } from '#services/extensions/sip_credentials'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

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
 * Creates and edits extensions. SIP credentials exist only on user extensions: they are
 * made when an extension becomes one (the password generated unless given, returned to the
 * caller once) and dropped when it stops being one.
 */
export default class ExtensionWriter {
  async create(
    organization: Organization,
    input: Required<Pick<ExtensionInput, 'number' | 'name' | 'type'>> & ExtensionInput,
    actor: Actor,
  ) {
    return db.transaction(async (trx) => {
      const extension = new Extension().merge({
        organizationId: organization.id,
        number: input.number,
        name: input.name,
        type: input.type,
        status: input.status ?? 'active',
        voicemailEnabled: input.voicemailEnabled ?? false,
        dndEnabled: false,
        forwarding: defaultForwarding(),
        followMe: defaultFollowMe(),
      })
      const sipPassword = await this.#applyType(extension, input, trx)
      extension.useTransaction(trx)
      await extension.save()
      await AuditTrail.record(
        actor,
        {
          action: 'extension.created',
          subjectType: 'extension',
          subjectId: extension.id,
          after: serializeExtension(extension),
        },
        trx,
      )
      return { extension, sipPassword }
    })
  }

  async update(extension: Extension, input: ExtensionInput, actor: Actor) {
    return db.transaction(async (trx) => {
      const before = serializeExtension(extension)
      if (input.name !== undefined) extension.name = input.name
      if (input.status !== undefined) extension.status = input.status
      if (input.voicemailEnabled !== undefined) extension.voicemailEnabled = input.voicemailEnabled
      const sipPassword = await this.#applyType(extension, input, trx)
      extension.useTransaction(trx)
      await extension.save()
      await AuditTrail.record(
        actor,
        {
          action: 'extension.updated',
          subjectType: 'extension',
          subjectId: extension.id,
          before,
          after: serializeExtension(extension),
        },
        trx,
      )
      return { extension, sipPassword }
    })
  }

  /** Type, configuration, user and SIP credentials; returns a newly generated password. */
  async #applyType(
    extension: Extension,
    input: ExtensionInput,
    trx: Parameters<typeof assertSipUsernameFree>[3],
  ) {
    const wasUser = extension.$isPersisted && extension.type === 'user'
    const type = input.type ?? extension.type
    const typeChanged = extension.$isPersisted && type !== extension.type
    extension.type = type
    if (input.configuration !== undefined || typeChanged || !extension.$isPersisted)
      extension.configuration = input.configuration ?? {}
    if (type !== 'user') {
      extension.merge({ userId: null, sipUsername: null, sipPassword: null })
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
}

import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import Extension from '#models/extension'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { serializeExtension } from '#transformers/extension_transformer'
import { defaultFollowMe, defaultForwarding } from '#enums/extensions'
import { applyType, type ExtensionInput } from '#services/extensions/extension_type'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/* The validators check uniqueness first; only two concurrent writes can still collide. */
export async function saveUnique(extension: Extension) {
  try {
    await extension.save()
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error
    throw ApiException.conflict('Another extension took this number or SIP username meanwhile')
  }
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
        userId: null,
        number: input.number,
        name: input.name,
        type: input.type,
        status: input.status ?? 'active',
        voicemailEnabled: input.voicemailEnabled ?? false,
        dndEnabled: false,
        forwarding: defaultForwarding(),
        followMe: defaultFollowMe(),
      })
      const sipPassword = await applyType(extension, input, trx)
      extension.useTransaction(trx)
      await saveUnique(extension)
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
      const sipPassword = await applyType(extension, input, trx)
      /* The password itself never reaches the audit trail, only the fact that it changed. */
      const sipPasswordChanged = 'sipPassword' in extension.$dirty
      extension.useTransaction(trx)
      await saveUnique(extension)
      await AuditTrail.record(
        actor,
        {
          action: 'extension.updated',
          subjectType: 'extension',
          subjectId: extension.id,
          before,
          after: serializeExtension(extension),
          metadata: { sipPasswordChanged },
        },
        trx,
      )
      return { extension, sipPassword }
    })
  }
}

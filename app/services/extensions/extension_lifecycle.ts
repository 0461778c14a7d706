import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Extension from '#models/extension'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import references from '#services/references/reference_registry'
import { serializeExtension } from '#transformers/extension_transformer'
import { saveUnique } from '#services/extensions/extension_writer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * Soft delete and restore. A row still routed to (a forward extension, and later ring
 * groups, IVR options, phone numbers…) cannot go: the registry answers 409 with the list.
 */
export default class ExtensionLifecycle {
  async delete(extension: Extension, actor: Actor) {
    await references.assertUnreferenced(
      'extension',
      'extension',
      extension.organizationId,
      extension.id,
    )
    await db.transaction(async (trx) => {
      extension.useTransaction(trx)
      extension.deletedAt = DateTime.now()
      await extension.save()
      await AuditTrail.record(
        actor,
        {
          action: 'extension.deleted',
          subjectType: 'extension',
          subjectId: extension.id,
          before: serializeExtension(extension),
        },
        trx,
      )
    })
  }

  /* The number (or SIP username) may have been reused meanwhile: restoring would clash. */
  async restore(extension: Extension, actor: Actor) {
    return db.transaction(async (trx) => {
      const clash = await trx
        .from('extensions')
        .where('organization_id', extension.organizationId)
        .whereNull('deleted_at')
        .where((q) => {
          q.where('number', extension.number)
          if (extension.sipUsername) q.orWhere('sip_username', extension.sipUsername)
        })
        .first()
      if (clash) {
        throw ApiException.conflict(
          `Extension ${clash.number} now uses this number or SIP username: change it first`,
        )
      }
      extension.useTransaction(trx)
      extension.deletedAt = null
      await saveUnique(extension)
      await AuditTrail.record(
        actor,
        {
          action: 'extension.restored',
          subjectType: 'extension',
          subjectId: extension.id,
          after: serializeExtension(extension),
        },
        trx,
      )
      return extension
    })
  }
}

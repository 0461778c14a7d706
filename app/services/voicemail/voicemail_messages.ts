import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import VoicemailMessage from '#models/voicemail_message'
import AuditTrail from '#services/audit/audit_trail'
import { signedFileUrl } from '#services/storage/storage'
import { idParam } from '#transformers/params'
import { serializeVoicemailMessage } from '#transformers/voicemail_transformer'
import { voicemailCountsChanged } from '#services/voicemail/voicemail_events'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * A message of the caller's organization whose extension is still live, with that
 * extension loaded for the policy (whose messages may this user hear?).
 */
export function findVoicemailMessage(organization: Organization, id: unknown, trashed = false) {
  const query = VoicemailMessage.query()
    .withScopes((scopes) => scopes.forOrganization(organization))
    .where('id', idParam(id))
    .whereHas('extension', (extensions) => extensions.whereNull('deleted_at'))
    .preload('extension')
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

export default class VoicemailMessages {
  async markRead(message: VoicemailMessage, read: boolean, actor: Actor) {
    if (read === (message.readAt !== null)) return message
    return this.#save(
      message,
      { readAt: read ? DateTime.now() : null },
      'voicemail_message.updated',
      actor,
    )
  }

  async delete(message: VoicemailMessage, actor: Actor) {
    return this.#save(message, { deletedAt: DateTime.now() }, 'voicemail_message.deleted', actor)
  }

  async restore(message: VoicemailMessage, actor: Actor) {
    return this.#save(message, { deletedAt: null }, 'voicemail_message.restored', actor)
  }

  /* Short-lived so a copied link stops working soon; the player fetches it right away. */
  audioUrl(message: VoicemailMessage) {
    const expiresAt = DateTime.now().plus({ minutes: 10 })
    const url = signedFileUrl(
      {
        organizationId: message.organizationId,
        key: message.audioKey,
        mime: message.audioMime,
        filename: `voicemail-${message.id}.wav`,
      },
      '10m',
    )
    return { url, expiresAt: expiresAt.toISO() }
  }

  async #save(
    message: VoicemailMessage,
    changes: Partial<Pick<VoicemailMessage, 'readAt' | 'deletedAt'>>,
    action: string,
    actor: Actor,
  ) {
    const saved = await db.transaction(async (trx) => {
      const before = serializeVoicemailMessage(message)
      message.useTransaction(trx)
      message.merge(changes)
      await message.save()
      await AuditTrail.record(
        actor,
        {
          action,
          subjectType: 'voicemail_message',
          subjectId: message.id,
          before,
          after: serializeVoicemailMessage(message),
        },
        trx,
      )
      return message
    })
    await voicemailCountsChanged(message.organizationId, message.extensionId)
    return saved
  }
}

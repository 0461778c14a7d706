import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import WebhookSecret from '#models/webhook_secret'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { activeSecretRows, lockSecrets } from '#services/settings/webhook_secrets'
import { serializeWebhookSecret } from '#transformers/settings_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * Revokes one secret at once (e.g. after a suspected leak, without waiting for its grace
 * period). The last active secret is refused: with none, every signed webhook would fail.
 */
export default class RevokeWebhookSecret {
  async handle(organizationId: number, id: number, actor: Actor) {
    await db.transaction(async (trx) => {
      await lockSecrets(organizationId, trx)
      const now = DateTime.now()
      const row = await WebhookSecret.query({ client: trx })
        .withScopes((s) => s.forOrganization(organizationId))
        .where('id', id)
        .whereNull('revoked_at')
        .first()
      if (!row) throw ApiException.notFound('Webhook secret')
      const active = await activeSecretRows(organizationId, now, trx)
      if (row.isActiveAt(now) && active.length === 1) {
        throw new ApiException(
          409,
          'E_LAST_WEBHOOK_SECRET',
          'This is the only active webhook secret: rotate first, then revoke the old one',
        )
      }
      const before = serializeWebhookSecret(row, now)
      await row.useTransaction(trx).merge({ revokedAt: now }).save()
      await AuditTrail.record(
        actor,
        {
          action: 'webhook_secret.revoked',
          subjectType: 'webhook_secret',
          subjectId: row.id,
          before,
          after: serializeWebhookSecret(row, now),
        },
        trx,
      )
    })
  }
}

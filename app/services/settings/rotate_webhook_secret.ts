import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import WebhookSecret from '#models/webhook_secret'
import AuditTrail from '#services/audit/audit_trail'
import { activeSecretRows, lockSecrets } from '#services/settings/webhook_secrets'
import { serializeWebhookSecret } from '#transformers/settings_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * Creates a new secret (32 random bytes, base64url) and keeps at most two active: the
 * previous one verifies until the grace period ends (never later than it already
 * would), anything older stops now. The edge can then switch without dropping calls.
 */
export default class RotateWebhookSecret {
  async handle(organizationId: number, graceHours: number, actor: Actor) {
    return db.transaction(async (trx) => {
      await lockSecrets(organizationId, trx)
      const now = DateTime.now()
      const [previous, ...older] = await activeSecretRows(organizationId, now, trx)
      const graceEnd = now.plus({ hours: graceHours })
      for (const row of older) await row.useTransaction(trx).merge({ expiresAt: now }).save()
      if (previous && (!previous.expiresAt || previous.expiresAt > graceEnd))
        await previous.useTransaction(trx).merge({ expiresAt: graceEnd }).save()

      const secret = await WebhookSecret.create(
        {
          organizationId,
          secret: randomBytes(32).toString('base64url'),
          createdBy: actor.actorUserId,
        },
        { client: trx },
      )
      await AuditTrail.record(
        actor,
        {
          action: 'webhook_secret.rotated',
          subjectType: 'webhook_secret',
          subjectId: secret.id,
          after: serializeWebhookSecret(secret, now),
          metadata: {
            graceHours,
            previousId: previous?.id ?? null,
            previousExpiresAt: previous?.expiresAt?.toISO() ?? null,
            expiredIds: older.map((row) => row.id),
          },
        },
        trx,
      )
      return { secret, previous: previous ?? null }
    })
  }
}

import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import WebhookSecret from '#models/webhook_secret'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { serializeWebhookSecret } from '#transformers/settings_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

export const DEFAULT_GRACE_HOURS = 24

/* Rows that still verify signatures at `now`. */
function active(organizationId: number, now: DateTime, trx?: TransactionClientContract) {
  return WebhookSecret.query({ client: trx })
    .withScopes((s) => s.forOrganization(organizationId))
    .whereNull('revoked_at')
    .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now.toJSDate()))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
}

/**
 * Per-tenant HMAC secrets for execution-plane webhooks. Rotation keeps at most two active
 * (new + previous during its grace period) so the edge can switch without dropping calls.
 * Writes take a per-organization advisory lock: two concurrent rotations must not leave
 * three secrets active, nor two revocations leave none.
 */
export default class WebhookSecretService {
  /** The clear values the webhook verifier accepts, newest first. */
  async activeSecrets(organizationId: number): Promise<string[]> {
    const rows = await active(organizationId, DateTime.now())
    return rows.map((row) => row.secret)
  }

  async list(organizationId: number) {
    return WebhookSecret.query()
      .withScopes((s) => s.forOrganization(organizationId))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
  }

  async rotate(organizationId: number, graceHours: number, actor: Actor) {
    return db.transaction(async (trx) => {
      await this.#lock(organizationId, trx)
      const now = DateTime.now()
      const [previous, ...older] = await active(organizationId, now, trx)
      const graceEnd = now.plus({ hours: graceHours })
      for (const row of older) row.expiresAt = now
      if (previous && (previous.expiresAt === null || previous.expiresAt > graceEnd))
        previous.expiresAt = graceEnd
      for (const row of [previous, ...older].filter(Boolean)) await row.useTransaction(trx).save()

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

  async revoke(organizationId: number, id: number, actor: Actor) {
    await db.transaction(async (trx) => {
      await this.#lock(organizationId, trx)
      const now = DateTime.now()
      const row = await WebhookSecret.query({ client: trx })
        .withScopes((s) => s.forOrganization(organizationId))
        .where('id', id)
        .whereNull('revoked_at')
        .first()
      if (!row) throw ApiException.notFound('Webhook secret')
      const stillActive = await active(organizationId, now, trx)
      if (row.isActiveAt(now) && stillActive.length === 1) {
        throw new ApiException(
          409,
          'E_LAST_WEBHOOK_SECRET',
          'This is the only active webhook secret: rotate first, then revoke the old one',
        )
      }
      const before = serializeWebhookSecret(row, now)
      row.useTransaction(trx)
      row.revokedAt = now
      await row.save()
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

  #lock(organizationId: number, trx: TransactionClientContract) {
    return trx.rawQuery("SELECT pg_advisory_xact_lock(hashtext('webhook_secrets'), ?)", [
      organizationId,
    ])
  }
}

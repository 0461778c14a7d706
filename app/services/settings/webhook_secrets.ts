import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import WebhookSecret from '#models/webhook_secret'

export const DEFAULT_GRACE_HOURS = 24

/** Rows that still verify signatures at `now`, newest first. */
export function activeSecretRows(
  organizationId: number,
  now: DateTime,
  trx?: TransactionClientContract,
) {
  return WebhookSecret.query({ client: trx })
    .withScopes((s) => s.forOrganization(organizationId))
    .whereNull('revoked_at')
    .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now.toJSDate()))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
}

/*
 * Every write to an organization's secrets holds this transaction-scoped lock: two
 * concurrent rotations must not leave three secrets active, nor two revocations none.
 */
export function lockSecrets(organizationId: number, trx: TransactionClientContract) {
  return trx.rawQuery("SELECT pg_advisory_xact_lock(hashtext('webhook_secrets'), ?)", [
    organizationId,
  ])
}

/** The clear values the webhook verifier accepts, newest first. */
export async function activeSecrets(organizationId: number): Promise<string[]> {
  const rows = await activeSecretRows(organizationId, DateTime.now())
  return rows.map((row) => row.secret)
}

export function listSecrets(organizationId: number) {
  return WebhookSecret.query()
    .withScopes((s) => s.forOrganization(organizationId))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
}

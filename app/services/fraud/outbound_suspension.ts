import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'

export type OutboundSuspension = { since: string; reason: string }

/** Read straight from the row, never from a cached organization: a suspension bites at once. */
export async function outboundSuspensionOf(
  organizationId: number,
): Promise<OutboundSuspension | null> {
  const row = await db
    .from('organizations')
    .where('id', organizationId)
    .select('outbound_suspended_at', 'outbound_suspension_reason')
    .first()
  if (!row?.outbound_suspended_at) return null
  return {
    since: DateTime.fromJSDate(row.outbound_suspended_at).toUTC().toISO()!,
    reason: row.outbound_suspension_reason ?? 'suspended',
  }
}

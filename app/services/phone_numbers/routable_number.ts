import PhoneNumber from '#models/phone_number'
import { normalizeNumber } from '#validators/phone_number'
import type { RoutingType } from '#enums/phone_numbers'

export type RoutableNumber = {
  organizationId: number
  phoneNumberId: number
  number: string
  trunkId: number | null
  routing: { type: RoutingType; id: number | null }
}

/**
 * The execution plane's entry point for an inbound call: which tenant owns the called
 * number and where it routes. Inactive or deleted numbers answer null (not configured).
 * Cloudonix sends called numbers with and without the leading `+`; both forms are tried
 * in the same query.
 */
export async function findRoutableNumber(e164: string): Promise<RoutableNumber | null> {
  const number = normalizeNumber(e164.trim())
  // Stored numbers are E.164; anything else (letters, NUL bytes) cannot match one and
  // must not reach the query, where PostgreSQL rejects invalid text with an error.
  if (!/^\+?\d{1,20}$/.test(number)) return null
  const candidates = /^[1-9]\d{7,14}$/.test(number) ? [number, `+${number}`] : [number]
  const row = await PhoneNumber.platformQuery(
    'inbound call: the tenant is not known yet and is resolved from the called number',
  )
    .whereIn('number', candidates)
    .where('status', 'active')
    .whereNull('deleted_at')
    .first()
  if (!row) return null
  return {
    organizationId: row.organizationId,
    phoneNumberId: row.id,
    number: row.number,
    trunkId: row.trunkId,
    routing: { type: row.routingType, id: row.routingTargetId },
  }
}

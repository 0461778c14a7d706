import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'

/*
 * What a CDR alone does not say and the call history needs: which of the tenant's
 * extensions the call belongs to (so PBX users see their own calls) and which of its DIDs
 * it came in on (or went out from). Worked out off the webhook's response path, in the
 * call.cdr_received job, from the tenant's own rows only; fields already set are kept.
 *
 * - extension: the CDR's `subscriber` (the tenant's phone that placed the call, by SIP
 *   username or number), else the called number, else the calling number, when it is a
 *   live extension of the tenant;
 * - DID: the called number (inbound) or the calling number (outbound), when it is one of
 *   the tenant's phone numbers, with or without the leading `+`.
 */

export type Enrichment = { extensionId: number | null; phoneNumberId: number | null }

function numberForms(value: string | null | undefined): string[] {
  const text = value?.trim()
  if (!text) return []
  const digits = text.replace(/^\+/, '')
  return /^\d{4,15}$/.test(digits) ? [digits, `+${digits}`] : [text]
}

async function extensionOf(organizationId: number, candidates: (string | null)[]) {
  for (const candidate of candidates) {
    if (!candidate) continue
    const row = await db
      .from('extensions')
      .where('organization_id', organizationId)
      .whereNull('deleted_at')
      .where((q) => q.where('sip_username', candidate).orWhere('number', candidate))
      .orderByRaw('sip_username = ? desc', [candidate])
      .select('id')
      .first()
    if (row) return Number(row.id)
  }
  return null
}

async function phoneNumberOf(organizationId: number, value: string | null) {
  const forms = numberForms(value)
  if (forms.length === 0) return null
  const row = await db
    .from('phone_numbers')
    .where('organization_id', organizationId)
    .whereIn('number', forms)
    .whereNull('deleted_at')
    .select('id')
    .first()
  return row ? Number(row.id) : null
}

export async function enrichCdr(
  organization: Organization,
  cdrId: number,
): Promise<Enrichment | null> {
  const cdr = await db
    .from('call_detail_records')
    .where('organization_id', organization.id)
    .where('id', cdrId)
    .first()
  if (!cdr) return null
  const outbound = Boolean(cdr.subscriber)
  const extensionId =
    cdr.extension_id ?? (await extensionOf(organization.id, [cdr.subscriber, cdr.to, cdr.from]))
  const phoneNumberId = await phoneNumberOf(organization.id, outbound ? cdr.from : cdr.to)

  await db.transaction(async (trx) => {
    if (extensionId && !cdr.extension_id) {
      await trx
        .from('call_detail_records')
        .where('organization_id', organization.id)
        .where('id', cdrId)
        .update({ extension_id: extensionId, updated_at: new Date() })
    }
    const call = trx
      .from('call_logs')
      .where('organization_id', organization.id)
      .where('call_id', cdr.session_token)
    if (extensionId) {
      await call
        .clone()
        .whereNull('extension_id')
        .update({ extension_id: extensionId, updated_at: new Date() })
    }
    if (phoneNumberId) {
      await call
        .clone()
        .whereNull('phone_number_id')
        .update({ phone_number_id: phoneNumberId, updated_at: new Date() })
    }
  })
  return { extensionId, phoneNumberId }
}

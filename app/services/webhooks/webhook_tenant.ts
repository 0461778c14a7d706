import db from '@adonisjs/lucid/services/db'
import Organization from '#models/organization'
import { createHash } from 'node:crypto'
import { findRoutableNumber, type RoutableNumber } from '#services/phone_numbers/routable_number'
import { cached, directoryGeneration, directoryKey } from '#services/voice/routing_cache'

/*
 * Which tenant an inbound webhook speaks for, before it is authenticated. Cloudonix and
 * our edge name the tenant's domain (X-Cx-Domain, body `domain`/`Domain`/`AccountSid`, a
 * CDR's `owner.domain.uuid`); without one, the called number identifies it. The answer
 * only picks whose secrets to verify against: nothing is trusted until that succeeds.
 */

type Body = Record<string, unknown>

export type TenantLookup =
  | {
      ok: true
      organization: Organization
      calledNumber: string | null
      /* The called number's DID, whichever tenant holds it: routing reuses it. */
      did: RoutableNumber | null
    }
  | { ok: false; reason: 'unknown' | 'mismatch' }

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

function objectAt(value: unknown, key: string): Body | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const child = (value as Body)[key]
    if (child && typeof child === 'object' && !Array.isArray(child)) return child as Body
  }
  return null
}

/** Session updates may arrive as a one-element array (contract §3.2). */
export function webhookBody(raw: unknown): Body {
  const value = Array.isArray(raw) ? raw[0] : raw
  return value && typeof value === 'object' ? (value as Body) : {}
}

export function domainCandidates(header: string | undefined, body: Body): string[] {
  const owner = objectAt(objectAt(body, 'owner'), 'domain')
  const values = [
    header,
    body.domain,
    body.Domain,
    body.AccountSid,
    owner?.uuid,
    objectAt(body, 'session')?.domain,
  ]
  const names = values.map(text).filter((v): v is string => v !== null)
  return [...new Set(names.map((v) => v.toLowerCase()))]
}

export function calledNumber(body: Body): string | null {
  return (
    text(body.To) ??
    text(body.destination) ??
    text(body.to) ??
    text(body.did) ??
    text(objectAt(body, 'session')?.destination) ??
    null
  )
}

const OUTBOUND_DIRECTIONS = new Set(['subscriber', 'outbound-api', 'outbound', 'outgoing'])

/*
 * On a call placed by the tenant's own phone, the called party may legitimately be a DID
 * of another tenant on this platform; only inbound legs must be about the tenant's DIDs.
 */
export function placedByTenant(body: Body) {
  const direction = text(body.Direction) ?? text(body.direction) ?? text(body.CallDirection)
  if (direction && OUTBOUND_DIRECTIONS.has(direction.toLowerCase())) return true
  return text(body.subscriber) !== null
}

async function organizationsForDomains(domains: string[]): Promise<number[]> {
  // One round trip: the tenant's own SIP domain, or the Cloudonix domain in its settings.
  const rows: { id: number }[] = await db
    .from('organizations')
    .whereIn('sip_domain', domains)
    .select('id')
    .union((q) =>
      q
        .from('organization_settings')
        .whereIn(db.raw('lower(domain_name)'), domains)
        .orWhereIn(db.raw('domain_uuid::text'), domains.filter(isUuid))
        .select('organization_id as id'),
    )
  return [...new Set(rows.map((row) => Number(row.id)))]
}

function isUuid(value: string) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
}

type Resolution =
  | { ok: true; organization: Raw; did: RoutableNumber | null }
  | { ok: false; reason: 'unknown' | 'mismatch' }
type Raw = Record<string, unknown>

async function resolve(domains: string[], number: string | null, placed: boolean) {
  const did = number ? await findRoutableNumber(number) : null
  // Only an inbound leg must be about the tenant's own DIDs (see placedByTenant).
  const owner = placed ? null : did

  let organizationId: number | null = null
  if (domains.length > 0) {
    const ids = await organizationsForDomains(domains)
    // Header and body naming two different tenants is a forged or confused request.
    if (ids.length !== 1) return fail(ids.length === 0 ? 'unknown' : 'mismatch')
    organizationId = ids[0]
    // A tenant may only report on its own numbers: another tenant's DID is refused.
    if (owner && owner.organizationId !== organizationId) return fail('mismatch')
  } else if (owner) {
    organizationId = owner.organizationId
  }
  if (organizationId === null) return fail('unknown')

  const [organization] = (await Organization.query()
    .where('id', organizationId)
    .whereNull('deleted_at')
    .pojo()) as Raw[]
  if (!organization) return fail('unknown')
  return { ok: true as const, organization, did }
}

const fail = (reason: 'unknown' | 'mismatch'): Resolution => ({ ok: false, reason })

/**
 * Cached under the directory generation (phone numbers, organizations, domains). Only
 * successful resolutions are kept: a flood of made-up domains or numbers must not fill
 * Redis, and refusals are cheap to recompute.
 */
export async function resolveWebhookTenant(
  domainHeader: string | undefined,
  body: Body,
): Promise<TenantLookup> {
  const domains = domainCandidates(domainHeader, body)
  const number = calledNumber(body)
  const placed = placedByTenant(body)
  const generation = await directoryGeneration()
  const digest = createHash('sha256')
    .update(JSON.stringify([domains, number, placed]))
    .digest('base64url')
  const key = directoryKey(generation, `tenant:${digest}`)
  const result = await cached(generation, key, () => resolve(domains, number, placed), {
    keep: (value) => value.ok,
  })
  if (!result.ok) return result
  return {
    ok: true,
    organization: Organization.$createFromAdapterResult(result.organization)!,
    calledNumber: number,
    did: result.did,
  }
}

import Organization from '#models/organization'
import OrganizationSetting from '#models/organization_setting'
import { findRoutableNumber, type RoutableNumber } from '#services/phone_numbers/routable_number'
import type { CallRequest } from '#services/voice/call_request'

export type CallTenant = { organization: Organization; did: RoutableNumber | null }

/** The called DID, tolerating a missing `+` (Cloudonix sends both forms). */
async function calledDid(to: string) {
  if (to === '') return null
  const found = await findRoutableNumber(to)
  if (found || !/^[1-9]\d{7,14}$/.test(to)) return found
  return findRoutableNumber(`+${to}`)
}

/* The tenant a Cloudonix/edge domain names: our SIP domain or its Cloudonix domain name. */
async function domainOrganizationId(domain: string) {
  const bySip = await Organization.query()
    .whereRaw('lower(sip_domain) = ?', [domain])
    .select('id')
    .first()
  if (bySip) return bySip.id
  const setting = await OrganizationSetting.platformQuery(
    'voice request: the tenant is resolved from the domain it names',
  )
    .whereRaw('lower(domain_name) = ?', [domain])
    .first()
  return setting?.organizationId ?? null
}

/**
 * Whose call this is. A named domain and a called DID must agree (a number of tenant A can
 * never route inside tenant B). A phone of the tenant may call anything, so only a domain
 * is needed then; a call from outside needs the DID. Suspended tenants route nowhere.
 */
export async function resolveCallTenant(request: CallRequest): Promise<CallTenant | null> {
  const [domainOrgId, did] = await Promise.all([
    request.domain ? domainOrganizationId(request.domain) : Promise.resolve(null),
    calledDid(request.to),
  ])
  if (request.domain && domainOrgId === null) return null
  if (domainOrgId !== null && did && did.organizationId !== domainOrgId) {
    return placedByTenant(request) ? tenant(domainOrgId, null) : null
  }
  const organizationId = domainOrgId ?? did?.organizationId ?? null
  return organizationId === null ? null : tenant(organizationId, did)
}

export function placedByTenant(request: CallRequest) {
  return request.direction === 'subscriber' || request.direction === 'outbound-api'
}

async function tenant(organizationId: number, did: RoutableNumber | null) {
  const organization = await Organization.find(organizationId)
  return organization?.isActive ? { organization, did } : null
}

import type Organization from '#models/organization'
import { findRoutableNumber, type RoutableNumber } from '#services/phone_numbers/routable_number'
import type { CallRequest } from '#services/voice/call_request'

export type CallTenant = { organization: Organization; did: RoutableNumber | null }

export function placedByTenant(request: CallRequest) {
  return request.direction === 'subscriber' || request.direction === 'outbound-api'
}

/**
 * `known` is the called number's DID as the webhook middleware already looked it up.
 * The call's tenant is the one the webhook middleware authenticated (from its domain, or
 * from the called number when no domain was named). Checked again here because routing
 * must never follow a DID into another tenant: a call from outside to a DID that is not
 * the authenticated tenant's routes nowhere, while the tenant's own phone calling it is
 * just an outside call. Suspended tenants route nowhere.
 */
export async function resolveCallTenant(
  request: CallRequest,
  authenticated: Organization,
  known?: { did: RoutableNumber | null },
): Promise<CallTenant | null> {
  if (!authenticated.isActive) return null
  const did = known ? known.did : request.to === '' ? null : await findRoutableNumber(request.to)
  if (did && did.organizationId !== authenticated.id) {
    return placedByTenant(request) ? { organization: authenticated, did: null } : null
  }
  return { organization: authenticated, did }
}

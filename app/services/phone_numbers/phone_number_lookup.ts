import type Organization from '#models/organization'
import PhoneNumber from '#models/phone_number'
import { idParam } from '#transformers/params'

/** Every tenant read of phone numbers starts here, rooted in the caller's organization. */
export function phoneNumbersOf(organization: Organization) {
  return PhoneNumber.query().withScopes((scopes) => scopes.forOrganization(organization))
}

/** Another organization's id, a deleted row (or, with `trashed`, a live one): all a 404. */
export function findPhoneNumber(organization: Organization, id: unknown, trashed = false) {
  const query = phoneNumbersOf(organization).where('id', idParam(id))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

import type Organization from '#models/organization'
import Extension from '#models/extension'
import { idParam } from '#transformers/params'

/** Every extension read starts here, rooted in the caller's organization. */
export function extensionsOf(organization: Organization) {
  return Extension.query().withScopes((scopes) => scopes.forOrganization(organization))
}

/**
 * Another organization's id, a deleted row (or, with `trashed`, a live one) are all a 404.
 * The assigned user is preloaded unless they were deleted since.
 */
export function findExtension(organization: Organization, id: unknown, trashed = false) {
  const query = extensionsOf(organization)
    .where('id', idParam(id))
    .preload('user', (users) => users.whereNull('deleted_at'))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

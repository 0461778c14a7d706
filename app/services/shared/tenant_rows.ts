import type { LucidModel } from '@adonisjs/lucid/types/model'
import type Organization from '#models/organization'
import { idParam } from '#transformers/params'

/**
 * One row of a tenant table by route id: another organization's id, or a row in the
 * wrong state (live when `trashed`, deleted otherwise), is a 404 like a missing one.
 */
export function findInOrganization<M extends LucidModel>(
  Model: M,
  organization: Organization,
  id: unknown,
  trashed = false,
) {
  const query = (Model.query() as any)
    .withScopes((s: any) => s.forOrganization(organization))
    .where('id', idParam(id))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail() as Promise<InstanceType<M>>
}

import type Organization from '#models/organization'
import RingGroup from '#models/ring_group'
import { idParam } from '#transformers/params'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/** Every ring group read starts here, rooted in the caller's organization. */
export function ringGroupsOf(organization: Organization | number) {
  return RingGroup.query().withScopes((scopes) => scopes.forOrganization(organization))
}

/* Members in ring order, each with its extension: three queries whatever the row count. */
export function withMembers(query: ModelQueryBuilderContract<typeof RingGroup>) {
  return query.preload('members', (members) => members.preload('extension'))
}

/** Another organization's id, a deleted row (or, with `trashed`, a live one) are all a 404. */
export function findRingGroup(organization: Organization, id: unknown, trashed = false) {
  const query = withMembers(ringGroupsOf(organization).where('id', idParam(id)))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

/**
 * The live row again, inside the writer's transaction and locked FOR UPDATE: it may have
 * changed (or gone) while the writer waited for the Redis lock.
 */
export function lockRingGroupRow(group: RingGroup, trx: TransactionClientContract) {
  const query = RingGroup.query({ client: trx })
    .withScopes((scopes) => scopes.forOrganization(group.organizationId))
    .where('id', group.id)
    .whereNull('deleted_at')
    .forUpdate()
  return withMembers(query).firstOrFail()
}

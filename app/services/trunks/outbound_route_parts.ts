import { errors } from '@vinejs/vine'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type OutboundRoute from '#models/outbound_route'

/** Replaces the route's ordered trunk list (position 0 is tried first) and reloads it. */
export async function replaceTrunks(
  trx: TransactionClientContract,
  route: OutboundRoute,
  trunkIds: number[],
) {
  /* Re-checked under FOR SHARE: the validator ran before this transaction existed. */
  const live = await trx
    .from('trunks')
    .where('organization_id', route.organizationId)
    .whereIn('id', trunkIds)
    .whereNull('deleted_at')
    .forShare()
    .select('id')
  if (live.length !== trunkIds.length) {
    throw new errors.E_VALIDATION_ERROR([
      { field: 'trunkIds', message: 'A selected trunk was deleted meanwhile', rule: 'exists' },
    ])
  }
  await trx.from('outbound_route_trunks').where('outbound_route_id', route.id).delete()
  await trx.table('outbound_route_trunks').multiInsert(
    trunkIds.map((trunkId, position) => ({
      organization_id: route.organizationId,
      outbound_route_id: route.id,
      trunk_id: trunkId,
      position,
    })),
  )
  await route.load('trunks')
}

/** Checked on the merged row: an update may change only one of the two bounds. */
export function assertLengths(route: OutboundRoute) {
  if (route.minLength !== null && route.maxLength !== null && route.minLength > route.maxLength) {
    throw new errors.E_VALIDATION_ERROR([
      {
        field: 'maxLength',
        message: 'The maximum length must be at least the minimum length',
        rule: 'minLength',
      },
    ])
  }
}

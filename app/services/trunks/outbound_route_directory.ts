import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Organization from '#models/organization'
import OutboundRoute from '#models/outbound_route'
import ApiException from '#exceptions/api_exception'
import { assertLengths, replaceTrunks } from '#services/trunks/outbound_route_parts'
import { serializeOutboundRoute } from '#transformers/trunk_transformer'
import type {
  createOutboundRouteValidator,
  updateOutboundRouteValidator,
} from '#validators/outbound_route'
import {
  assertFreeToRestore,
  audit,
  restoreRow,
  softDelete,
  uniquely,
  type Actor,
} from '#services/shared/audited_rows'

type CreateInput = Infer<typeof createOutboundRouteValidator>
type UpdateInput = Infer<typeof updateOutboundRouteValidator>

/**
 * Writes to outbound routes. The trunk list is replaced whole, under a row lock on the
 * route, so concurrent edits never interleave two lists.
 */
export default class OutboundRouteDirectory {
  async create(organization: Organization, input: CreateInput, actor: Actor) {
    const { trunkIds, ...fields } = input
    const route = new OutboundRoute().merge({
      ...{ prefix: null, minLength: null, maxLength: null, prepend: null },
      ...{ stripDigits: 0, priority: 10, enabled: true },
      ...fields,
      organizationId: organization.id,
    })
    assertLengths(route)
    return uniquely('outbound route', () =>
      db.transaction(async (trx) => {
        route.useTransaction(trx)
        await route.save()
        await replaceTrunks(trx, route, trunkIds)
        const after = serializeOutboundRoute(route)
        await audit(actor, 'outbound_route', 'created', route.id, { after }, trx)
        return route
      }),
    )
  }

  async update(route: OutboundRoute, input: UpdateInput, actor: Actor) {
    const { trunkIds, ...fields } = input
    const before = serializeOutboundRoute(route)
    route.merge(fields)
    assertLengths(route)
    return uniquely('outbound route', () =>
      db.transaction(async (trx) => {
        await trx.from('outbound_routes').where('id', route.id).forUpdate().select('id')
        route.useTransaction(trx)
        await route.save()
        if (trunkIds) await replaceTrunks(trx, route, trunkIds)
        const after = serializeOutboundRoute(route)
        await audit(actor, 'outbound_route', 'updated', route.id, { before, after }, trx)
        return route
      }),
    )
  }

  /* Nothing points at a route, so deleting needs no reference check. */
  delete(route: OutboundRoute, actor: Actor) {
    return softDelete(route, 'outbound_route', serializeOutboundRoute(route), actor)
  }

  /** A trunk deleted while this route was in the bin must come back (or be swapped) first. */
  async restore(route: OutboundRoute, actor: Actor) {
    return restoreRow(route, 'outbound_route', serializeOutboundRoute, actor, async (trx) => {
      const gone = route.trunks.filter((trunk) => trunk.deletedAt !== null)
      if (gone.length > 0) {
        const names = gone.map((t) => `"${t.name}"`).join(', ')
        throw ApiException.conflict(`This route uses deleted trunks ${names}: restore them first`)
      }
      const { organizationId, name } = route
      const target = { table: 'outbound_routes', organizationId, column: 'name', value: name }
      await assertFreeToRestore(trx, target, 'outbound route')
    })
  }
}

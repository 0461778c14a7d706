import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OutboundRoutePolicy from '#policies/outbound_route_policy'
import AuditTrail from '#services/audit/audit_trail'
import OutboundRouteDirectory from '#services/trunks/outbound_route_directory'
import { serializeOutboundRoute } from '#transformers/trunk_transformer'
import { findOutboundRoute } from '#controllers/api/outbound_routes_controller'

/** POST /outbound-routes/:id/restore: undoes a soft delete. */
export default class OutboundRouteRestoreController {
  @inject()
  async store(ctx: HttpContext, directory: OutboundRouteDirectory) {
    const route = await findOutboundRoute(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(OutboundRoutePolicy).authorize('restore', route)
    const restored = await directory.restore(route, AuditTrail.fromRequest(ctx))
    return { data: serializeOutboundRoute(restored) }
  }
}

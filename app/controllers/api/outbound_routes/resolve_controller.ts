import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OutboundRoutePolicy from '#policies/outbound_route_policy'
import OutboundResolver from '#services/trunks/outbound_resolver'
import { resolveOutboundValidator } from '#validators/outbound_route'

/**
 * POST /outbound-routes/resolve: a dry run of outbound routing and the fraud rules for one
 * number, so an admin can check a configuration before a real call depends on it.
 */
export default class OutboundRouteResolveController {
  @inject()
  async store(ctx: HttpContext, resolver: OutboundResolver) {
    await ctx.bouncer.with(OutboundRoutePolicy).authorize('viewAny')
    const { number } = await ctx.request.validateUsing(resolveOutboundValidator)
    return { data: await resolver.resolve(ctx.organization, number) }
  }
}

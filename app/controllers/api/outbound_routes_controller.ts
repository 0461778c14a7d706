import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OutboundRoute from '#models/outbound_route'
import OutboundRoutePolicy from '#policies/outbound_route_policy'
import AuditTrail from '#services/audit/audit_trail'
import OutboundRouteDirectory from '#services/trunks/outbound_route_directory'
import { likeTerm } from '#validators/helpers/listing'
import { paginated, sortOrder } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { serializeOutboundRoute } from '#transformers/trunk_transformer'
import {
  createOutboundRouteValidator,
  listOutboundRoutesValidator,
  updateOutboundRouteValidator,
} from '#validators/outbound_route'

@inject()
export default class OutboundRoutesController {
  constructor(protected directory: OutboundRouteDirectory) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(OutboundRoutePolicy).authorize('viewAny')
    const filters = await request.validateUsing(listOutboundRoutesValidator, { data: request.qs() })
    const [column, direction] = sortOrder(filters.sort, 'priority')
    const query = OutboundRoute.query()
      .withScopes((scope) => scope.forOrganization(organization))
      .preload('trunks')
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.enabled !== undefined) query.where('enabled', filters.enabled)
    if (filters.trunkId) query.whereHas('trunks', (q) => q.where('trunks.id', filters.trunkId!))
    if (filters.search) {
      const term = likeTerm(filters.search)
      query.where((q) => q.whereILike('name', term).orWhereILike('prefix', term))
    }
    const page = await query
      .orderBy(column, direction)
      .orderBy('id')
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeOutboundRoute)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OutboundRoutePolicy).authorize('create')
    const input = await ctx.request.validateUsing(createOutboundRouteValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const actor = AuditTrail.fromRequest(ctx)
    const route = await this.directory.create(ctx.organization, input, actor)
    return ctx.response.created({ data: serializeOutboundRoute(route) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const route = await findOutboundRoute(organization, params.id)
    await bouncer.with(OutboundRoutePolicy).authorize('view', route)
    return { data: serializeOutboundRoute(route) }
  }

  async update(ctx: HttpContext) {
    const route = await findOutboundRoute(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(OutboundRoutePolicy).authorize('update', route)
    const input = await ctx.request.validateUsing(updateOutboundRouteValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: route.id },
    })
    const updated = await this.directory.update(route, input, AuditTrail.fromRequest(ctx))
    return { data: serializeOutboundRoute(updated) }
  }

  async destroy(ctx: HttpContext) {
    const route = await findOutboundRoute(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(OutboundRoutePolicy).authorize('delete', route)
    await this.directory.delete(route, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

/** Tenant-rooted lookup with the trunk list (deleted trunks included: restore checks them). */
export function findOutboundRoute(
  organization: HttpContext['organization'],
  id: unknown,
  trashed: boolean = false,
) {
  const query = OutboundRoute.query()
    .withScopes((scope) => scope.forOrganization(organization))
    .where('id', idParam(id))
    .preload('trunks')
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

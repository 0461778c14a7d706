import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import RingGroupPolicy from '#policies/ring_group_policy'
import AuditTrail from '#services/audit/audit_trail'
import RingGroupDirectory from '#services/ring_groups/ring_group_directory'
import { findRingGroup, ringGroupsOf, withMembers } from '#services/ring_groups/ring_group_lookup'
import { serializeRingGroup } from '#transformers/ring_group_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { likeTerm } from '#validators/helpers/listing'
import {
  createRingGroupValidator,
  listRingGroupsValidator,
  updateRingGroupValidator,
} from '#validators/ring_group'

@inject()
export default class RingGroupsController {
  constructor(protected directory: RingGroupDirectory) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(RingGroupPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listRingGroupsValidator, { data: request.qs() })
    const [column, direction] = sortOrder(filters.sort, 'name')
    const query = withMembers(ringGroupsOf(organization))
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.status) query.where('status', filters.status)
    if (filters.strategy) query.where('strategy', filters.strategy)
    if (filters.search) query.whereILike('name', likeTerm(filters.search))
    const page = await query
      .orderBy(column, direction)
      .orderBy('id')
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeRingGroup)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(RingGroupPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createRingGroupValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const group = await this.directory.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeRingGroup(group) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const group = await findRingGroup(organization, params.id)
    await bouncer.with(RingGroupPolicy).authorize('view', group)
    return { data: serializeRingGroup(group) }
  }

  async update(ctx: HttpContext) {
    const group = await findRingGroup(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(RingGroupPolicy).authorize('update', group)
    const input = await ctx.request.validateUsing(updateRingGroupValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: group.id },
    })
    const updated = await this.directory.update(group, input, AuditTrail.fromRequest(ctx))
    return { data: serializeRingGroup(updated) }
  }

  async destroy(ctx: HttpContext) {
    const group = await findRingGroup(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(RingGroupPolicy).authorize('delete', group)
    await this.directory.delete(group, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

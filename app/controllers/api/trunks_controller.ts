import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Trunk from '#models/trunk'
import TrunkPolicy from '#policies/trunk_policy'
import AuditTrail from '#services/audit/audit_trail'
import TrunkDirectory from '#services/trunks/trunk_directory'
import { likeTerm } from '#validators/helpers/listing'
import { paginated, sortOrder } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { serializeTrunk } from '#transformers/trunk_transformer'
import { createTrunkValidator, listTrunksValidator, updateTrunkValidator } from '#validators/trunk'

@inject()
export default class TrunksController {
  constructor(protected directory: TrunkDirectory) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(TrunkPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listTrunksValidator, { data: request.qs() })
    const [column, direction] = sortOrder(filters.sort, 'priority')
    const query = Trunk.query().withScopes((scope) => scope.forOrganization(organization))
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.kind) query.where('kind', filters.kind)
    if (filters.enabled !== undefined) query.where('enabled', filters.enabled)
    if (filters.search) {
      const term = likeTerm(filters.search)
      query.where((q) => q.whereILike('name', term).orWhereILike('host', term))
    }
    const page = await query
      .orderBy(column, direction)
      .orderBy('id')
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeTrunk)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(TrunkPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createTrunkValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const trunk = await this.directory.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeTrunk(trunk) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const trunk = await findTrunk(organization, params.id)
    await bouncer.with(TrunkPolicy).authorize('view', trunk)
    return { data: serializeTrunk(trunk) }
  }

  async update(ctx: HttpContext) {
    const trunk = await findTrunk(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(TrunkPolicy).authorize('update', trunk)
    const input = await ctx.request.validateUsing(updateTrunkValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: trunk.id },
    })
    const updated = await this.directory.update(trunk, input, AuditTrail.fromRequest(ctx))
    return { data: serializeTrunk(updated) }
  }

  async destroy(ctx: HttpContext) {
    const trunk = await findTrunk(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(TrunkPolicy).authorize('delete', trunk)
    await this.directory.delete(trunk, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

/** Tenant-rooted lookup: another organization's id is simply not found (404). */
export function findTrunk(
  organization: HttpContext['organization'],
  id: unknown,
  trashed: boolean = false,
) {
  const query = Trunk.query()
    .withScopes((scope) => scope.forOrganization(organization))
    .where('id', idParam(id))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

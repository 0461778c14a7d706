import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OutboundRule from '#models/outbound_rule'
import OutboundRulePolicy from '#policies/outbound_rule_policy'
import AuditTrail from '#services/audit/audit_trail'
import OutboundRuleDirectory from '#services/trunks/outbound_rule_directory'
import { likeTerm } from '#validators/helpers/listing'
import { paginated, sortOrder } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { serializeOutboundRule } from '#transformers/trunk_transformer'
import {
  createOutboundRuleValidator,
  listOutboundRulesValidator,
  updateOutboundRuleValidator,
} from '#validators/outbound_rule'

@inject()
export default class OutboundRulesController {
  constructor(protected directory: OutboundRuleDirectory) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(OutboundRulePolicy).authorize('viewAny')
    const filters = await request.validateUsing(listOutboundRulesValidator, { data: request.qs() })
    const [column, direction] = sortOrder(filters.sort, 'prefix')
    const query = OutboundRule.query().withScopes((scope) => scope.forOrganization(organization))
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.kind) query.where('kind', filters.kind)
    if (filters.search) {
      const term = likeTerm(filters.search)
      query.where((q) => q.whereILike('prefix', term).orWhereILike('description', term))
    }
    const page = await query
      .orderBy(column, direction)
      .orderBy('id')
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeOutboundRule)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OutboundRulePolicy).authorize('create')
    const input = await ctx.request.validateUsing(createOutboundRuleValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const rule = await this.directory.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeOutboundRule(rule) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const rule = await findOutboundRule(organization, params.id)
    await bouncer.with(OutboundRulePolicy).authorize('view', rule)
    return { data: serializeOutboundRule(rule) }
  }

  async update(ctx: HttpContext) {
    const rule = await findOutboundRule(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(OutboundRulePolicy).authorize('update', rule)
    const input = await ctx.request.validateUsing(updateOutboundRuleValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: rule.id },
    })
    const updated = await this.directory.update(rule, input, AuditTrail.fromRequest(ctx))
    return { data: serializeOutboundRule(updated) }
  }

  async destroy(ctx: HttpContext) {
    const rule = await findOutboundRule(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(OutboundRulePolicy).authorize('delete', rule)
    await this.directory.delete(rule, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

/** Tenant-rooted lookup: another organization's id is simply not found (404). */
export function findOutboundRule(
  organization: HttpContext['organization'],
  id: unknown,
  trashed: boolean = false,
) {
  const query = OutboundRule.query()
    .withScopes((scope) => scope.forOrganization(organization))
    .where('id', idParam(id))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import AuditLogPolicy from '#policies/audit_log_policy'
import AuditLogListing from '#services/audit/audit_log_listing'
import { paginated } from '#transformers/pagination'
import type AuditLog from '#models/audit_log'
import { auditFiltersValidator } from '#validators/web_settings'

function serializeEntry(entry: AuditLog) {
  return {
    id: entry.id,
    action: entry.action,
    actorUserId: entry.actorUserId,
    impersonated: entry.impersonatorStaffId !== null,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    before: entry.before,
    after: entry.after,
    metadata: entry.metadata,
    ip: entry.ip,
    createdAt: entry.createdAt.toISO(),
  }
}

/** The organization's audit trail, filterable by action prefix, actor and dates. */
@inject()
export default class AuditLogController {
  constructor(protected listing: AuditLogListing) {}

  async index(ctx: HttpContext) {
    const { inertia, organization, bouncer, request } = ctx
    await bouncer.with(AuditLogPolicy).authorize('viewAny')
    const [error, filters] = await auditFiltersValidator.tryValidate(request.qs())
    if (error) {
      const messages = (error.messages as { message: string }[]).map((m) => m.message)
      ctx.session.flash('error', `Filters ignored: ${messages.join('; ')}`)
      return ctx.response.redirect().toPath('/settings/audit')
    }
    const page = await this.listing.page(organization, filters)
    const users = await organization
      .related('users')
      .query()
      .select('id', 'name', 'email')
      .orderBy('name')
    return inertia.render('settings/audit', {
      entries: paginated(page, serializeEntry),
      filters: request.qs(),
      actions: await this.listing.actions(organization),
      users: users.map((u) => ({ id: u.id, name: u.name, email: u.email })),
      timezone: organization.timezone,
    })
  }
}

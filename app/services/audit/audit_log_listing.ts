import type Organization from '#models/organization'
import { parseBound } from '#validators/rules/date_bound'

export type AuditFilters = {
  action?: string
  actorUserId?: number
  from?: string
  to?: string
  page?: number
  perPage?: number
}

/**
 * Reads one organization's audit trail, newest first. `action` matches a prefix, so
 * "call." finds every call action and "user.password_reset" both reset actions; the
 * (organization_id, created_at) index serves the order and the date range.
 */
export default class AuditLogListing {
  page(organization: Organization, filters: AuditFilters) {
    const query = organization.related('auditLogs').query()
    if (filters.action) query.whereLike('action', `${filters.action.replace(/[\\%_]/g, '\\$&')}%`)
    if (filters.actorUserId) query.where('actor_user_id', filters.actorUserId)
    const from = filters.from ? parseBound(filters.from, 'start') : null
    const to = filters.to ? parseBound(filters.to, 'end') : null
    if (from) query.where('created_at', '>=', from.toJSDate())
    if (to) query.where('created_at', '<=', to.toJSDate())
    return query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .paginate(filters.page ?? 1, filters.perPage ?? 50)
  }

  /** The distinct actions this organization has recorded, for the filter's suggestions. */
  async actions(organization: Organization) {
    const rows = await organization
      .related('auditLogs')
      .query()
      .distinct('action')
      .orderBy('action')
      .limit(200)
    return rows.map((r) => r.action)
  }
}

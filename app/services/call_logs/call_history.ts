import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import type User from '#models/user'
import CallLog from '#models/call_log'
import CallDetailRecord from '#models/call_detail_record'
import { canViewReports } from '#auth/rules'
import { likeTerm } from '#validators/helpers/listing'
import { parseBound } from '#validators/rules/date_bound'
import type { CallDirection, CallStatus } from '#enums/settings'
import { sortOrder } from '#transformers/pagination'

export type CallFilters = {
  from?: string
  to?: string
  number?: string
  extensionId?: number
  direction?: CallDirection
  status?: CallStatus
  disposition?: string
}

type Viewer = Pick<User, 'id' | 'role'>

export type CallListing = CallFilters & { sort?: string; page?: number; perPage?: number }

/* Sort keys accepted by the list validators, and the column each one orders by. */
const SORT_COLUMNS: Record<string, string> = {
  initiated_at: 'initiated_at',
  duration: 'duration_seconds',
}

/* Ids of the live extensions assigned to this user, as a subquery (no round trip). */
function ownExtensionIds(organizationId: number, userId: number) {
  return db
    .from('extensions')
    .select('id')
    .where('organization_id', organizationId)
    .where('user_id', userId)
    .whereNull('deleted_at')
}

/**
 * The call history a viewer may see, filtered. Everything that lists, shows or exports
 * calls starts here, so the PBX-user restriction cannot be forgotten by one of them.
 */
export default class CallHistory {
  callLogs(organization: Organization, viewer: Viewer, filters: CallFilters = {}) {
    const query = CallLog.query().withScopes((s) => s.forOrganization(organization))
    if (!canViewReports(viewer))
      query.whereIn('extension_id', ownExtensionIds(organization.id, viewer.id))
    this.#range(query, 'initiated_at', filters)
    if (filters.number) {
      const term = likeTerm(filters.number)
      query.where((q) => q.whereILike('from_number', term).orWhereILike('to_number', term))
    }
    if (filters.extensionId) query.where('extension_id', filters.extensionId)
    if (filters.direction) query.where('direction', filters.direction)
    if (filters.status) query.where('status', filters.status)
    return query
  }

  /** One page of the filtered history, newest first unless `sort` says otherwise. */
  page(organization: Organization, viewer: Viewer, listing: CallListing) {
    const [sort, direction] = sortOrder(listing.sort, '-initiated_at')
    return (
      this.callLogs(organization, viewer, listing)
        // Calls still in progress have no duration yet: they go last either way.
        .orderBy([
          { column: SORT_COLUMNS[sort], order: direction, nulls: 'last' },
          { column: 'id', order: direction },
        ])
        .paginate(listing.page ?? 1, listing.perPage ?? 25)
    )
  }

  cdrs(organization: Organization, viewer: Viewer, filters: CallFilters = {}) {
    const query = CallDetailRecord.query().withScopes((s) => s.forOrganization(organization))
    if (!canViewReports(viewer))
      query.whereIn('extension_id', ownExtensionIds(organization.id, viewer.id))
    this.#range(query, 'session_timestamp', filters)
    if (filters.number) {
      const term = likeTerm(filters.number)
      query.where((q) => q.whereILike('from', term).orWhereILike('to', term))
    }
    if (filters.extensionId) query.where('extension_id', filters.extensionId)
    if (filters.disposition) query.where('disposition', filters.disposition)
    return query
  }

  #range(
    query: ReturnType<typeof CallLog.query> | ReturnType<typeof CallDetailRecord.query>,
    column: string,
    filters: CallFilters,
  ) {
    const from = filters.from ? parseBound(filters.from, 'start') : null
    const to = filters.to ? parseBound(filters.to, 'end') : null
    if (from) query.where(column, '>=', from.toJSDate())
    if (to) query.where(column, '<=', to.toJSDate())
  }
}

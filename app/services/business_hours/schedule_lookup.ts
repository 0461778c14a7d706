import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type Organization from '#models/organization'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import { idParam } from '#transformers/params'
import type { ListFilters } from '#services/shared/listing'
import { sortOrder } from '#transformers/pagination'
import { likeTerm } from '#validators/helpers/listing'

type ScheduleQuery = ModelQueryBuilderContract<typeof BusinessHoursSchedule>

/* Two preload queries per page whatever its size: the list stays free of N+1. */
function withChildren(query: ScheduleQuery) {
  return query
    .preload('rules', (rules) => rules.orderBy('day_of_week').orderBy('start_time'))
    .preload('exceptions', (exceptions) => exceptions.orderBy('date'))
}

/** Every schedule read starts here, rooted in the caller's organization. */
export function schedulesOf(organization: Organization) {
  return BusinessHoursSchedule.query().withScopes((s) => s.forOrganization(organization))
}

/** Another organization's id, a deleted row (or, with `trashed`, a live one) are all a 404. */
export function findSchedule(organization: Organization, id: unknown, trashed = false) {
  const query = withChildren(schedulesOf(organization).where('id', idParam(id)))
  if (trashed) query.whereNotNull('deleted_at')
  else query.whereNull('deleted_at')
  return query.firstOrFail()
}

/* Names sort case-insensitively ("alpha" before "Bravo"), ties broken by id for stable pages. */
export function listSchedules(
  organization: Organization,
  filters: ListFilters & { status?: 'active' | 'inactive' },
) {
  const query = withChildren(schedulesOf(organization))
  if (filters.trashed === 'only') query.whereNotNull('deleted_at')
  else if (filters.trashed !== 'with') query.whereNull('deleted_at')
  if (filters.status) query.where('status', filters.status)
  if (filters.search) query.whereILike('name', likeTerm(filters.search))
  const [column, direction] = sortOrder(filters.sort, 'name')
  if (column === 'name') query.orderByRaw(`lower(name) ${direction}`)
  else query.orderBy(column, direction)
  return query.orderBy('id', direction).paginate(filters.page ?? 1, filters.perPage ?? 25)
}

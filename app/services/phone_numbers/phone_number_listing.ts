import type Organization from '#models/organization'
import type { Infer } from '@vinejs/vine/types'
import { phoneNumbersOf } from '#services/phone_numbers/phone_number_lookup'
import { loadRoutingNames } from '#services/phone_numbers/routing_names'
import { serializePhoneNumber } from '#transformers/phone_number_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { likeTerm } from '#validators/helpers/listing'
import type { listPhoneNumbersValidator } from '#validators/phone_number'

type Filters = Infer<typeof listPhoneNumbersValidator>

/**
 * One page of numbers with their routing targets' names batch-loaded per target table, so
 * the query count does not grow with the page. A search matches the friendly name, or the
 * number by its digits ("555 01" finds +15550100).
 */
export async function listPhoneNumbers(organization: Organization, filters: Filters) {
  const [column, direction] = sortOrder(filters.sort, 'number')
  const query = phoneNumbersOf(organization)
  if (filters.trashed === 'only') query.whereNotNull('deleted_at')
  else if (filters.trashed !== 'with') query.whereNull('deleted_at')
  if (filters.status) query.where('status', filters.status)
  if (filters.routingType) query.where('routing_type', filters.routingType)
  if (filters.trunkId) query.where('trunk_id', filters.trunkId)
  if (filters.search) {
    const digits = filters.search.replace(/\D/g, '')
    query.where((q) => {
      q.whereILike('friendly_name', likeTerm(filters.search!))
      if (digits) q.orWhereILike('number', likeTerm(digits))
    })
  }
  const page = await query
    .orderBy(column, direction)
    .orderBy('id')
    .paginate(filters.page ?? 1, filters.perPage ?? 25)
  const names = await loadRoutingNames(page.all())
  return paginated(page, (row) => serializePhoneNumber(row, names))
}

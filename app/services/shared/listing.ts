import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import { likeTerm } from '#validators/helpers/listing'
import { sortOrder } from '#transformers/pagination'

export type ListFilters = {
  page?: number
  perPage?: number
  search?: string
  sort?: string
  trashed?: 'with' | 'only'
}

/**
 * The part every list shares: live rows unless `trashed` says otherwise, search over
 * the given columns, a whitelisted sort with id as tie-breaker so pages never overlap.
 */
export function listPage<M extends LucidModel>(
  query: ModelQueryBuilderContract<M>,
  filters: ListFilters,
  options: { searchable: string[]; defaultSort: string },
) {
  if (filters.trashed === 'only') query.whereNotNull('deleted_at')
  else if (filters.trashed !== 'with') query.whereNull('deleted_at')
  if (filters.search) {
    const term = likeTerm(filters.search)
    query.where((q) => {
      for (const column of options.searchable) q.orWhereILike(column, term)
    })
  }
  const [column, direction] = sortOrder(filters.sort, options.defaultSort)
  return query
    .orderBy(column, direction)
    .orderBy('id', direction)
    .paginate(filters.page ?? 1, filters.perPage ?? 25)
}

/* Vine leaves absent optional fields as undefined keys; merge() must not blank them. */
export function definedOnly<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>
}

import vine from '@vinejs/vine'
import type { SchemaTypes } from '@vinejs/vine/types'

/**
 * One list validator per resource: page/perPage (≤ 100), search, trashed, a whitelist of
 * sort fields (anything else is a 422), plus the resource's own filters.
 */
export function listValidator<Filters extends Record<string, SchemaTypes>>(
  sortable: readonly string[],
  filters: Filters,
) {
  const sorts = sortable.flatMap((field) => [field, `-${field}`])
  return vine.create({
    page: vine.number().withoutDecimals().min(1).optional(),
    perPage: vine.number().withoutDecimals().range([1, 100]).optional(),
    search: vine.string().trim().maxLength(100).optional(),
    sort: vine.enum(sorts).optional(),
    trashed: vine.enum(['with', 'only']).optional(),
    ...filters,
  })
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export function likeTerm(search: string) {
  return `%${search.replace(/[\\%_]/g, '\\$&')}%`
}

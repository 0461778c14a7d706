import type { ModelPaginatorContract, LucidRow } from '@adonisjs/lucid/types/model'

/** The control plane's list envelope: `{ data, meta: { total, perPage, page, lastPage } }`. */
export function paginated<Row extends LucidRow, Out>(
  page: ModelPaginatorContract<Row>,
  serialize: (row: Row) => Out,
) {
  return {
    data: page.all().map(serialize),
    meta: {
      total: page.total,
      perPage: page.perPage,
      page: page.currentPage,
      lastPage: page.lastPage,
    },
  }
}

/** "-name" → ["name", "desc"]; the caller has already validated the column name. */
export function sortOrder(sort: string | undefined, fallback: string): [string, 'asc' | 'desc'] {
  const value = sort ?? fallback
  return value.startsWith('-') ? [value.slice(1), 'desc'] : [value, 'asc']
}

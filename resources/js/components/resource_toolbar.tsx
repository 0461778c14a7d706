import { router } from '@inertiajs/react'
import type { ListFilters, Paginated } from '~/components/admin_types'

type Props = {
  path: string
  filters: ListFilters
  placeholder: string
  /** Offer the deleted rows (for a restore) only to those who may restore. */
  canRestore: boolean
}

/** Search box and the live/deleted switch above a resource table. */
export function ResourceToolbar({ path, filters, placeholder, canRestore }: Props) {
  const visit = (params: Record<string, string | undefined>) =>
    router.get(path, Object.fromEntries(Object.entries(params).filter(([, v]) => v)), {
      preserveState: true,
    })
  return (
    <div className="toolbar">
      <form
        className="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          const search = String(new FormData(e.currentTarget).get('search') ?? '')
          visit({ search, trashed: filters.trashed ?? undefined })
        }}
      >
        <input
          name="search"
          type="search"
          defaultValue={filters.search}
          placeholder={placeholder}
          aria-label={placeholder}
        />
        <button type="submit">Search</button>
      </form>
      {canRestore && (
        <button
          type="button"
          className="secondary"
          aria-pressed={filters.trashed === 'only'}
          onClick={() =>
            visit({
              search: filters.search,
              trashed: filters.trashed === 'only' ? undefined : 'only',
            })
          }
        >
          {filters.trashed === 'only' ? 'Show live' : 'Show deleted'}
        </button>
      )}
    </div>
  )
}

/** "1 ring group", "3 ring groups": every noun in the console is a regular plural. */
export function countNoun(total: number, plural: string) {
  if (total !== 1) return `${total} ${plural}`
  return `1 ${plural.replace(/(x|ch|sh)es$/, '$1').replace(/s$/, '')}`
}

/** "N items · page x of y" with previous/next links that keep the filters. */
export function Pager({
  path,
  filters,
  meta,
  noun,
}: {
  path: string
  filters: ListFilters
  meta: Paginated<unknown>['meta']
  noun: string
}) {
  const go = (page: number) =>
    router.get(
      path,
      Object.fromEntries(
        Object.entries({ ...filters, page: String(page) }).filter(([, v]) => v),
      ) as Record<string, string>,
    )
  return (
    <nav className="pager" aria-label={`${noun} pages`}>
      <span className="muted">
        {countNoun(meta.total, noun)} · page {meta.page} of {Math.max(meta.lastPage, 1)}
      </span>
      {meta.page > 1 && (
        <button type="button" className="link" onClick={() => go(meta.page - 1)}>
          Previous
        </button>
      )}
      {meta.page < meta.lastPage && (
        <button type="button" className="link" onClick={() => go(meta.page + 1)}>
          Next
        </button>
      )}
    </nav>
  )
}

/** What an empty table says: why it is empty and what to do next. */
export function EmptyState({
  filters,
  noun,
  canCreate,
  hint,
}: {
  filters: ListFilters
  noun: string
  canCreate: boolean
  hint: string
}) {
  let text = `No ${noun} yet.`
  if (filters.trashed === 'only') text = `No deleted ${noun}.`
  else if (filters.search) text = `No ${noun} match "${filters.search}".`
  return (
    <div className="empty card" data-testid="empty-state">
      <p>{text}</p>
      {canCreate && !filters.search && filters.trashed !== 'only' && (
        <p className="muted">{hint}</p>
      )}
    </div>
  )
}

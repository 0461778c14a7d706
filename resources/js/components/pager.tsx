import { Link } from '@inertiajs/react'

type Meta = { total: number; page: number; lastPage: number }

/** Previous / next links that keep the current query (filters, sort). */
export function Pager({ meta, path, query }: { meta: Meta; path: string; query: object }) {
  const href = (page: number) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '' && key !== 'page')
        params.set(key, String(value))
    }
    if (page > 1) params.set('page', String(page))
    const qs = params.toString()
    return qs ? `${path}?${qs}` : path
  }
  return (
    <nav className="pager" aria-label="Pagination">
      {meta.page > 1 ? (
        <Link href={href(meta.page - 1)} rel="prev" preserveScroll>
          ← Previous
        </Link>
      ) : (
        <span aria-hidden="true" className="muted">
          ← Previous
        </span>
      )}
      <span>
        Page {meta.page} of {Math.max(1, meta.lastPage)} · {meta.total} in total
      </span>
      {meta.page < meta.lastPage ? (
        <Link href={href(meta.page + 1)} rel="next" preserveScroll>
          Next →
        </Link>
      ) : (
        <span aria-hidden="true" className="muted">
          Next →
        </span>
      )}
    </nav>
  )
}

/** The submit and reset pair under a filter form. */
export function FilterActions({ clearHref }: { clearHref: string }) {
  return (
    <div className="actions">
      <button type="submit">Apply filters</button>
      <Link href={clearHref} className="button">
        Clear
      </Link>
    </div>
  )
}

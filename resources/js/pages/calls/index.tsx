import { Head, Link, router } from '@inertiajs/react'
import { useState, type FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { FilterActions, Pager } from '~/components/pager'
import { formatDuration, formatTime, StatusBadge, STATUS_LABELS } from '~/components/call_format'

export type CallRow = {
  id: number
  callId: string
  direction: string
  fromNumber: string
  toNumber: string
  status: string
  initiatedAt: string
  answeredAt: string | null
  endedAt: string | null
  durationSeconds: number | null
  extensionId: number | null
  hasRecording: boolean
}

type Filters = Partial<
  Record<
    'from' | 'to' | 'number' | 'extensionId' | 'direction' | 'status' | 'sort' | 'page',
    string
  >
>

type Props = {
  calls: { data: CallRow[]; meta: { total: number; page: number; lastPage: number } }
  filters: Filters
  extensions: { id: number; number: string; name: string }[]
  timezone: string
}

const FILTER_KEYS = ['from', 'to', 'number', 'extensionId', 'direction', 'status'] as const

function clean(values: Filters) {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''))
}

/** A sortable column header: one button, aria-sort on the header cell. */
function SortHeader(props: { label: string; field: string; filters: Filters }) {
  const current = props.filters.sort ?? '-initiated_at'
  const active = current.replace(/^-/, '') === props.field
  const descending = current.startsWith('-')
  const next = active && descending ? props.field : `-${props.field}`
  return (
    <th aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        className="sort"
        onClick={() => router.get('/calls', clean({ ...props.filters, sort: next, page: '' }))}
      >
        {props.label} {active ? (descending ? '▼' : '▲') : ''}
      </button>
    </th>
  )
}

export default function CallHistory({ calls, filters, extensions, timezone }: Props) {
  const [values, setValues] = useState<Filters>(() =>
    Object.fromEntries(FILTER_KEYS.map((k) => [k, filters[k] ?? ''])),
  )
  const byId = new Map(extensions.map((e) => [e.id, e]))
  const query = new URLSearchParams(
    clean({ ...filters, page: '' }) as Record<string, string>,
  ).toString()

  function apply(event: FormEvent) {
    event.preventDefault()
    router.get('/calls', clean({ ...values, sort: filters.sort }))
  }

  const set = (key: keyof Filters) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }))

  return (
    <AppLayout>
      <Head title="Call history" />
      <div className="toolbar">
        <h1>Call history</h1>
        <a className="button" href={`/calls/export.csv${query ? `?${query}` : ''}`} download>
          Export CSV
        </a>
      </div>
      <form className="filters card" onSubmit={apply} aria-label="Filter calls">
        <label>
          From date
          <input type="date" value={values.from} onChange={set('from')} />
        </label>
        <label>
          To date
          <input type="date" value={values.to} onChange={set('to')} />
        </label>
        <label>
          Number contains
          <input
            type="search"
            inputMode="tel"
            value={values.number}
            onChange={set('number')}
            placeholder="+1555…"
          />
        </label>
        <label>
          Extension
          <select value={values.extensionId} onChange={set('extensionId')}>
            <option value="">Any</option>
            {extensions.map((e) => (
              <option key={e.id} value={e.id}>
                {e.number} {e.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Direction
          <select value={values.direction} onChange={set('direction')}>
            <option value="">Any</option>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
            <option value="internal">Internal</option>
          </select>
        </label>
        <label>
          Status
          <select value={values.status} onChange={set('status')}>
            <option value="">Any</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <FilterActions clearHref="/calls" />
      </form>
      {calls.data.length === 0 ? (
        <p className="empty">No calls match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="grid stack" data-testid="calls-table">
            <caption className="sr-only">Calls, times in {timezone}</caption>
            <thead>
              <tr>
                <SortHeader label="Started" field="initiated_at" filters={filters} />
                <th>Direction</th>
                <th>From</th>
                <th>To</th>
                <th>Extension</th>
                <th>Status</th>
                <SortHeader label="Duration" field="duration" filters={filters} />
                <th>
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {calls.data.map((call) => {
                const extension = call.extensionId ? byId.get(call.extensionId) : undefined
                return (
                  <tr key={call.id}>
                    <td data-label="Started">{formatTime(call.initiatedAt, timezone)}</td>
                    <td data-label="Direction">{call.direction}</td>
                    <td data-label="From">{call.fromNumber}</td>
                    <td data-label="To">{call.toNumber}</td>
                    <td data-label="Extension">{extension ? extension.number : '—'}</td>
                    <td data-label="Status">
                      <StatusBadge status={call.status} />
                      {call.hasRecording && <span className="muted"> · recorded</span>}
                    </td>
                    <td data-label="Duration">{formatDuration(call.durationSeconds)}</td>
                    <td>
                      <Link
                        href={`/calls/${call.id}`}
                        aria-label={`Details of the call from ${call.fromNumber} to ${call.toNumber}`}
                      >
                        Details
                      </Link>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager meta={calls.meta} path="/calls" query={filters} />
    </AppLayout>
  )
}

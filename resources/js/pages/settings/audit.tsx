import { Head, router } from '@inertiajs/react'
import { useState, type FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { SettingsTabs } from '~/components/settings_tabs'
import { FilterActions, Pager } from '~/components/pager'
import { formatTime } from '~/components/call_format'

type Entry = {
  id: number
  action: string
  actorUserId: number | null
  impersonated: boolean
  subjectType: string | null
  subjectId: string | null
  before: unknown
  after: unknown
  metadata: unknown
  ip: string | null
  createdAt: string
}

type Filters = Partial<Record<'action' | 'actorUserId' | 'from' | 'to' | 'page', string>>

type Props = {
  entries: { data: Entry[]; meta: { total: number; page: number; lastPage: number } }
  filters: Filters
  actions: string[]
  users: { id: number; name: string; email: string }[]
  timezone: string
}

export default function AuditLogPage({ entries, filters, actions, users, timezone }: Props) {
  const [values, setValues] = useState({
    action: filters.action ?? '',
    actorUserId: filters.actorUserId ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
  })
  const byId = new Map(users.map((u) => [u.id, u]))
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }))

  function apply(event: FormEvent) {
    event.preventDefault()
    router.get(
      '/settings/audit',
      Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')),
    )
  }

  return (
    <AppLayout>
      <Head title="Audit log" />
      <SettingsTabs />
      <h1>Audit log</h1>
      <form className="filters card" onSubmit={apply} aria-label="Filter the audit log">
        <label>
          Action starts with
          <input
            list="audit-actions"
            value={values.action}
            onChange={set('action')}
            placeholder="e.g. extension."
          />
          <datalist id="audit-actions">
            {actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          Who
          <select value={values.actorUserId} onChange={set('actorUserId')}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <label>
          From date
          <input type="date" value={values.from} onChange={set('from')} />
        </label>
        <label>
          To date
          <input type="date" value={values.to} onChange={set('to')} />
        </label>
        <FilterActions clearHref="/settings/audit" />
      </form>
      {entries.data.length === 0 ? (
        <p className="empty">No audit entries match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="grid stack" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Subject</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.map((entry) => {
                const actor = entry.actorUserId ? byId.get(entry.actorUserId) : undefined
                const details = {
                  before: entry.before,
                  after: entry.after,
                  metadata: entry.metadata,
                }
                const hasDetails = Object.values(details).some((v) => v !== null)
                return (
                  <tr key={entry.id}>
                    <td data-label="When">{formatTime(entry.createdAt, timezone)}</td>
                    <td data-label="Who">
                      {actor
                        ? actor.name
                        : entry.actorUserId
                          ? `user #${entry.actorUserId}`
                          : 'system'}
                      {entry.impersonated && <span className="badge">support</span>}
                    </td>
                    <td data-label="Action">
                      <code>{entry.action}</code>
                    </td>
                    <td data-label="Subject">
                      {entry.subjectType ? `${entry.subjectType} ${entry.subjectId ?? ''}` : '—'}
                    </td>
                    <td data-label="Change">
                      {hasDetails ? (
                        <details className="change">
                          <summary>Show</summary>
                          <pre>{JSON.stringify(details, null, 2)}</pre>
                        </details>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager meta={entries.meta} path="/settings/audit" query={filters} />
    </AppLayout>
  )
}

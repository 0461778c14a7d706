import { Head, router, useForm } from '@inertiajs/react'
import { useState, type FormEvent } from 'react'
import { Flash } from '~/components/flash'
import { ROLE_LABELS } from '~/types'

type Row = {
  id: number
  name: string
  email: string
  role: string
  status: string
  organization: string
  organizationStatus: string
}

export default function SupportConsole(props: {
  staff: { name: string; email: string }
  search: string
  users: Row[]
}) {
  const [search, setSearch] = useState(props.search)
  const [target, setTarget] = useState<Row | null>(null)
  const form = useForm({ userId: 0, reason: '' })

  function find(event: FormEvent) {
    event.preventDefault()
    router.get('/support', search ? { search } : {}, { preserveState: true })
  }

  function impersonate(event: FormEvent) {
    event.preventDefault()
    form.post('/support/impersonations')
  }

  return (
    <div className="support-console">
      <Head title="Support console" />
      <header className="topbar support">
        <span className="brand">OPBX support</span>
        <span className="who">
          {props.staff.name}
          <button type="button" className="link" onClick={() => router.post('/support/logout')}>
            Sign out
          </button>
        </span>
      </header>
      <main className="content">
        <Flash />
        <form onSubmit={find} className="search">
          <input
            name="search"
            placeholder="Find a user by name or email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="submit">Search</button>
        </form>
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Organization</th>
              <th>Role</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.users.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>
                  {user.organization}
                  {user.organizationStatus !== 'active' && <span className="badge">suspended</span>}
                </td>
                <td>{ROLE_LABELS[user.role] ?? user.role}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      setTarget(user)
                      form.setData({ userId: user.id, reason: '' })
                    }}
                  >
                    Impersonate…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {target && (
          <form className="card narrow" onSubmit={impersonate}>
            <h2>Act as {target.email}</h2>
            <p className="muted">
              The reason is written to the organization&apos;s audit log with your name.
            </p>
            <label>
              Reason
              <textarea
                name="reason"
                value={form.data.reason}
                onChange={(e) => form.setData('reason', e.target.value)}
                placeholder="e.g. Ticket #4821: customer cannot hear IVR prompt"
              />
              {form.errors.reason && <span className="field-error">{form.errors.reason}</span>}
            </label>
            <button type="submit" disabled={form.processing}>
              Start impersonation
            </button>
          </form>
        )}
      </main>
    </div>
  )
}

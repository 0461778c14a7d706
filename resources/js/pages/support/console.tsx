import { Head, Link, router, useForm } from '@inertiajs/react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { Flash } from '~/components/flash'
import '../../../css/calls.css'
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

type OrganizationRow = {
  id: number
  name: string
  slug: string
  sipDomain: string
  status: string
  users: number
}

export default function SupportConsole(props: {
  staff: { name: string; email: string }
  search: string
  organizationId: number | null
  organizations: OrganizationRow[]
  users: Row[]
}) {
  const [search, setSearch] = useState(props.search)
  const [target, setTarget] = useState<Row | null>(null)
  const form = useForm({ userId: 0, reason: '' })
  const reason = useRef<HTMLTextAreaElement>(null)

  // Keyboard users land in the reason field as soon as they pick someone.
  useEffect(() => {
    if (target) reason.current?.focus()
  }, [target])

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
            aria-label="Search organizations and users"
            placeholder="Find a user by name or email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="submit">Search</button>
        </form>
        <h2>Organizations</h2>
        {props.organizations.length === 0 ? (
          <p className="muted">No organization matches.</p>
        ) : (
          <table className="grid" data-testid="organizations-table">
            <thead>
              <tr>
                <th>Organization</th>
                <th>SIP domain</th>
                <th>Status</th>
                <th>Users</th>
              </tr>
            </thead>
            <tbody>
              {props.organizations.map((o) => (
                <tr key={o.id}>
                  <td>
                    {o.name} <span className="muted">({o.slug})</span>
                  </td>
                  <td>
                    <code>{o.sipDomain}</code>
                  </td>
                  <td>{o.status}</td>
                  <td>
                    <Link href={`/support?organizationId=${o.id}`}>
                      {o.users} users<span className="sr-only"> of {o.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2 style={{ marginTop: '1.2rem' }}>Users</h2>
        <table className="grid" data-testid="support-users-table">
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
                ref={reason}
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

import { Head, router, useForm } from '@inertiajs/react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'

type Row = {
  id: number
  number: string
  name: string
  type: string
  status: string
  dndEnabled: boolean
  user: { id: number; name: string; email: string } | null
}

type Props = {
  extensions: { data: Row[]; meta: { total: number; page: number; lastPage: number } }
  search: string
  users: { id: number; name: string; email: string }[]
  canManage: boolean
  newCredentials: { number: string; username: string; password: string } | null
}

/** Shown once after creation: the password cannot be displayed again, only rotated. */
function CredentialsDialog({ credentials }: { credentials: NonNullable<Props['newCredentials']> }) {
  const ref = useRef<HTMLDialogElement>(null)
  const [open, setOpen] = useState(true)
  useEffect(() => {
    if (open) ref.current?.showModal?.()
  }, [open])
  if (!open) return null
  return (
    <dialog
      ref={ref}
      className="card dialog"
      aria-labelledby="credentials-title"
      onClose={() => setOpen(false)}
    >
      <h2 id="credentials-title">SIP credentials for {credentials.number}</h2>
      <p className="notice">
        Copy the password now: it will not be shown again (you can rotate it later).
      </p>
      <dl className="credentials">
        <dt>Username</dt>
        <dd>
          <code>{credentials.username}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code data-testid="sip-password">{credentials.password}</code>
        </dd>
      </dl>
      <button type="button" onClick={() => ref.current?.close()} autoFocus>
        I have saved it
      </button>
    </dialog>
  )
}

export default function ExtensionsIndex({
  extensions,
  search,
  users,
  canManage,
  newCredentials,
}: Props) {
  const form = useForm({ number: '', name: '', type: 'user', userId: '' as string | number })

  function create(event: FormEvent) {
    event.preventDefault()
    form.transform((data) => ({
      ...data,
      userId: data.userId === '' ? undefined : Number(data.userId),
    }))
    form.post('/extensions', { onSuccess: () => form.reset() })
  }

  return (
    <AppLayout>
      <Head title="Extensions" />
      {newCredentials && <CredentialsDialog credentials={newCredentials} />}
      <h1>Extensions</h1>
      <form
        className="search"
        onSubmit={(e) => {
          e.preventDefault()
          const value = new FormData(e.currentTarget).get('search')
          router.get('/extensions', value ? { search: String(value) } : {})
        }}
      >
        <input
          name="search"
          defaultValue={search}
          placeholder="Search by number or name"
          aria-label="Search extensions"
        />
        <button type="submit">Search</button>
      </form>
      {extensions.data.length === 0 ? (
        <p className="muted">No extensions yet.{canManage && ' Create the first one below.'}</p>
      ) : (
        <table className="grid" data-testid="extensions-table">
          <thead>
            <tr>
              <th>Number</th>
              <th>Name</th>
              <th>Type</th>
              <th>Assigned to</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {extensions.data.map((e) => (
              <tr key={e.id}>
                <td>{e.number}</td>
                <td>{e.name}</td>
                <td>{e.type.replace('_', ' ')}</td>
                <td>{e.user ? e.user.name : '—'}</td>
                <td>
                  {e.status}
                  {e.dndEnabled && <span className="badge">DND</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">
        {extensions.meta.total} extension(s) · page {extensions.meta.page} of{' '}
        {extensions.meta.lastPage}
      </p>

      {canManage && (
        <form className="card narrow" onSubmit={create} noValidate>
          <h2>Add a user extension</h2>
          <label>
            Number
            <input
              name="number"
              inputMode="numeric"
              value={form.data.number}
              onChange={(e) => form.setData('number', e.target.value)}
              aria-invalid={!!form.errors.number}
            />
            {form.errors.number && <span className="field-error">{form.errors.number}</span>}
          </label>
          <label>
            Name
            <input
              name="name"
              value={form.data.name}
              onChange={(e) => form.setData('name', e.target.value)}
              aria-invalid={!!form.errors.name}
            />
            {form.errors.name && <span className="field-error">{form.errors.name}</span>}
          </label>
          <label>
            Assign to
            <select
              name="userId"
              value={form.data.userId}
              onChange={(e) => form.setData('userId', e.target.value)}
            >
              <option value="">Nobody yet</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
            {form.errors.userId && <span className="field-error">{form.errors.userId}</span>}
          </label>
          <button type="submit" disabled={form.processing}>
            Create extension
          </button>
        </form>
      )}
    </AppLayout>
  )
}

import { Head, router, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { ROLE_LABELS } from '~/types'
import { countNoun } from '~/components/resource_toolbar'

type UserRow = {
  id: number
  name: string
  email: string
  role: string
  status: string
  lastLoginAt: string | null
  manageable: boolean
}

type Props = {
  users: { data: UserRow[]; meta: { total: number; page: number; lastPage: number } }
  search: string
  assignableRoles: string[]
}

export default function UsersIndex({ users, search, assignableRoles }: Props) {
  const form = useForm({
    name: '',
    email: '',
    password: '',
    role: assignableRoles.at(-2) ?? 'pbx_user',
  })

  function create(event: FormEvent) {
    event.preventDefault()
    form.post('/users', { onSuccess: () => form.reset() })
  }

  return (
    <AppLayout>
      <Head title="Users" />
      <h1>Users</h1>
      <form
        className="search"
        onSubmit={(e) => {
          e.preventDefault()
          const value = new FormData(e.currentTarget).get('search')
          router.get('/users', value ? { search: String(value) } : {})
        }}
      >
        <input name="search" defaultValue={search} placeholder="Search by name or email" />
        <button type="submit">Search</button>
      </form>
      <table className="grid" data-testid="users-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>Status</th>
            <th>Last sign-in</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>
                {user.manageable ? (
                  <select
                    aria-label={`Role of ${user.email}`}
                    value={user.role}
                    onChange={(e) =>
                      router.patch(
                        `/users/${user.id}`,
                        { role: e.target.value },
                        { preserveScroll: true },
                      )
                    }
                  >
                    {[...new Set([user.role, ...assignableRoles])].map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABELS[role]}
                      </option>
                    ))}
                  </select>
                ) : (
                  ROLE_LABELS[user.role]
                )}
              </td>
              <td>{user.status}</td>
              <td>{user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : 'never'}</td>
              <td>
                {user.manageable && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      if (
                        confirm(`Remove ${user.email}? They will no longer be able to sign in.`)
                      ) {
                        router.delete(`/users/${user.id}`, { preserveScroll: true })
                      }
                    }}
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {countNoun(users.meta.total, 'users')} · page {users.meta.page} of {users.meta.lastPage}
      </p>

      {assignableRoles.length > 0 && (
        <form className="card narrow" onSubmit={create} noValidate>
          <h2>Add a user</h2>
          {(['name', 'email', 'password'] as const).map((field) => (
            <label key={field}>
              {field === 'password' ? 'Initial password' : field[0].toUpperCase() + field.slice(1)}
              <input
                name={field}
                type={field === 'password' ? 'password' : field === 'email' ? 'email' : 'text'}
                value={form.data[field]}
                onChange={(e) => form.setData(field, e.target.value)}
                aria-invalid={!!form.errors[field]}
              />
              {form.errors[field] && <span className="field-error">{form.errors[field]}</span>}
            </label>
          ))}
          <label>
            Role
            <select
              name="role"
              value={form.data.role}
              onChange={(e) => form.setData('role', e.target.value)}
            >
              {assignableRoles.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={form.processing}>
            Add user
          </button>
        </form>
      )}
    </AppLayout>
  )
}

import { Head, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { Flash } from '~/components/flash'

export default function SupportLogin() {
  const form = useForm({ email: '', password: '' })

  function submit(event: FormEvent) {
    event.preventDefault()
    form.post('/support/login', { onFinish: () => form.reset('password') })
  }

  return (
    <div className="auth-page support">
      <Head title="Support sign in" />
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Support console</h1>
        <Flash />
        <label>
          Staff email
          <input
            type="email"
            name="email"
            value={form.data.email}
            onChange={(e) => form.setData('email', e.target.value)}
          />
          {form.errors.email && <span className="field-error">{form.errors.email}</span>}
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            value={form.data.password}
            onChange={(e) => form.setData('password', e.target.value)}
          />
          {form.errors.password && <span className="field-error">{form.errors.password}</span>}
        </label>
        <button type="submit" disabled={form.processing}>
          Sign in
        </button>
      </form>
    </div>
  )
}

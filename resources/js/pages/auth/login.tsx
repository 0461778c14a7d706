import { Head, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { Flash } from '~/components/flash'

export default function Login() {
  const form = useForm({ email: '', password: '', remember: false })

  function submit(event: FormEvent) {
    event.preventDefault()
    form.post('/login', { onFinish: () => form.reset('password') })
  }

  return (
    <div className="auth-page">
      <Head title="Sign in" />
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Sign in to OPBX</h1>
        <Flash />
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={form.data.email}
            onChange={(e) => form.setData('email', e.target.value)}
            aria-invalid={!!form.errors.email}
            required
          />
          {form.errors.email && <span className="field-error">{form.errors.email}</span>}
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={form.data.password}
            onChange={(e) => form.setData('password', e.target.value)}
            aria-invalid={!!form.errors.password}
            required
          />
          {form.errors.password && <span className="field-error">{form.errors.password}</span>}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            name="remember"
            checked={form.data.remember}
            onChange={(e) => form.setData('remember', e.target.checked)}
          />
          Keep me signed in on this device
        </label>
        <button type="submit" disabled={form.processing}>
          {form.processing ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted">
          <a href="/password/forgot">Forgot your password?</a>
        </p>
        <p className="muted">
          Support staff: <a href="/support/login">sign in to the support console</a>
        </p>
      </form>
    </div>
  )
}

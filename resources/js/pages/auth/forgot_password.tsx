import { Head, Link, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { Flash } from '~/components/flash'

export default function ForgotPassword() {
  const form = useForm({ email: '' })

  function submit(event: FormEvent) {
    event.preventDefault()
    form.post('/password/forgot')
  }

  return (
    <div className="auth-page">
      <Head title="Forgot password" />
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Forgot your password?</h1>
        <Flash />
        <p className="muted">
          Enter the email address you sign in with. We will email you a link to choose a new
          password.
        </p>
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
        <button type="submit" disabled={form.processing}>
          {form.processing ? 'Sending…' : 'Send reset link'}
        </button>
        <p className="muted">
          <Link href="/login">Back to sign in</Link>
        </p>
      </form>
    </div>
  )
}

import { Head, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { Flash } from '~/components/flash'

export default function ResetPassword({ email, action }: { email: string; action: string }) {
  const form = useForm({ password: '', passwordConfirmation: '' })

  function submit(event: FormEvent) {
    event.preventDefault()
    form.post(action, { onFinish: () => form.reset() })
  }

  return (
    <div className="auth-page">
      <Head title="Choose a new password" />
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Choose a new password</h1>
        <Flash />
        <p className="muted">
          For <strong>{email}</strong>. At least 8 characters with letters and digits; not your
          email address and not a common password.
        </p>
        <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
        <label>
          New password
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            value={form.data.password}
            onChange={(e) => form.setData('password', e.target.value)}
            aria-invalid={!!form.errors.password}
            aria-describedby={form.errors.password ? 'password-error' : undefined}
          />
          {form.errors.password && (
            <span className="field-error" id="password-error">
              {form.errors.password}
            </span>
          )}
        </label>
        <label>
          Repeat the new password
          <input
            type="password"
            name="passwordConfirmation"
            autoComplete="new-password"
            value={form.data.passwordConfirmation}
            onChange={(e) => form.setData('passwordConfirmation', e.target.value)}
            aria-invalid={!!form.errors.passwordConfirmation}
          />
          {form.errors.passwordConfirmation && (
            <span className="field-error">{form.errors.passwordConfirmation}</span>
          )}
        </label>
        <button type="submit" disabled={form.processing}>
          Set new password
        </button>
      </form>
    </div>
  )
}

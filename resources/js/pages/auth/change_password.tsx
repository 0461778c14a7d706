import { Head, useForm } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'

export default function ChangePassword({ required }: { required: boolean }) {
  const form = useForm({ currentPassword: '', password: '', passwordConfirmation: '' })

  function submit(event: FormEvent) {
    event.preventDefault()
    form.put('/password', { onFinish: () => form.reset() })
  }

  return (
    <AppLayout>
      <Head title="Change password" />
      <form className="card narrow" onSubmit={submit} noValidate>
        <h1>Change your password</h1>
        {required && (
          <p className="notice">
            Your administrator requires you to choose a new password before continuing.
          </p>
        )}
        <p className="muted">
          At least 8 characters with letters and digits; not your email address and not a common
          password.
        </p>
        {(['currentPassword', 'password', 'passwordConfirmation'] as const).map((field) => (
          <label key={field}>
            {field === 'currentPassword'
              ? 'Current password'
              : field === 'password'
                ? 'New password'
                : 'Repeat the new password'}
            <input
              type="password"
              name={field}
              autoComplete={field === 'currentPassword' ? 'current-password' : 'new-password'}
              value={form.data[field]}
              onChange={(e) => form.setData(field, e.target.value)}
              aria-invalid={!!form.errors[field]}
            />
            {form.errors[field] && <span className="field-error">{form.errors[field]}</span>}
          </label>
        ))}
        <button type="submit" disabled={form.processing}>
          Change password
        </button>
      </form>
    </AppLayout>
  )
}

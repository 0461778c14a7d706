import { Head, useForm, usePage } from '@inertiajs/react'
import type { FormEvent } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { SettingsTabs } from '~/components/settings_tabs'
import type { SharedProps } from '~/types'

type Props = {
  settings: { name: string; slug: string; timezone: string; status: string }
  timezones: string[]
}

export default function OrganizationSettings({ settings, timezones }: Props) {
  const { can, impersonation } = usePage<SharedProps>().props
  const form = useForm({ name: settings.name, timezone: settings.timezone })
  const editable = !!can['organization.update']

  function submit(event: FormEvent) {
    event.preventDefault()
    form.put('/settings/organization')
  }

  return (
    <AppLayout>
      <Head title="Organization" />
      <SettingsTabs />
      <form className="card narrow" onSubmit={submit}>
        <h1>Organization</h1>
        <label>
          Name
          <input
            name="name"
            value={form.data.name}
            disabled={!editable}
            onChange={(e) => form.setData('name', e.target.value)}
          />
          {form.errors.name && <span className="field-error">{form.errors.name}</span>}
        </label>
        <label>
          Timezone (used for business hours and reports)
          <select
            name="timezone"
            value={form.data.timezone}
            disabled={!editable}
            onChange={(e) => form.setData('timezone', e.target.value)}
          >
            {['UTC', ...timezones].map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </label>
        <p className="muted">Identifier: {settings.slug}</p>
        {editable ? (
          <button type="submit" disabled={form.processing}>
            Save
          </button>
        ) : (
          <p className="muted">
            {impersonation
              ? 'Support staff cannot change these settings, even when acting as the owner.'
              : 'Only the organization owner can change these settings.'}
          </p>
        )}
      </form>
    </AppLayout>
  )
}

import { Head, router, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { ConfirmButton } from '~/components/confirm_button'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import { SipCredentialsDialog, type SipCredentials } from '~/components/sip_credentials_dialog'
import type {
  Abilities,
  Errors,
  ListFilters,
  NamedOption,
  Paginated,
} from '~/components/admin_types'

type Row = {
  id: number
  number: string
  name: string
  type: string
  status: string
  dndEnabled: boolean
  voicemailEnabled: boolean
  userId: number | null
  sipUsername: string | null
  configuration: Record<string, string | number | null>
  user: { id: number; name: string; email: string } | null
  deletedAt: string | null
}

type Props = {
  extensions: Paginated<Row>
  filters: ListFilters
  users: { id: number; name: string; email: string }[]
  can: Abilities
  sipDomain: string
  options: { ringGroups: NamedOption[]; ivrMenus: NamedOption[]; conferenceRooms: NamedOption[] }
  newCredentials: SipCredentials | null
}

const TYPES: Record<string, string> = {
  user: 'User (a phone)',
  forward: 'Forward to a number',
  ring_group: 'Ring group alias',
  ivr: 'IVR menu alias',
  conference: 'Conference room alias',
}

/* The configuration key each non-user type needs, and where its choices come from. */
const CONFIG_KEY: Record<string, { key: string; label: string; list?: keyof Props['options'] }> = {
  forward: { key: 'forward_to', label: 'Forward to (E.164, SIP URI or extension)' },
  ring_group: { key: 'ring_group_id', label: 'Ring group', list: 'ringGroups' },
  ivr: { key: 'ivr_menu_id', label: 'IVR menu', list: 'ivrMenus' },
  conference: { key: 'conference_room_id', label: 'Conference room', list: 'conferenceRooms' },
}

function ConfigurationField({
  type,
  value,
  onChange,
  error,
  options,
}: {
  type: string
  value: string
  onChange: (value: string) => void
  error?: string
  options: Props['options']
}) {
  const spec = CONFIG_KEY[type]
  if (!spec) return null
  if (!spec.list)
    return (
      <Field label={spec.label} error={error}>
        <input value={value} onChange={(e) => onChange(e.target.value)} />
      </Field>
    )
  return (
    <Field label={spec.label} error={error}>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {options[spec.list].map((o) => (
          <option key={o.id} value={o.id}>
            {o.number ? `${o.number} ` : ''}
            {o.name}
          </option>
        ))}
      </select>
    </Field>
  )
}

/* The configuration object the validator expects for the type (ids as numbers). */
function configurationFor(type: string, value: string) {
  const spec = CONFIG_KEY[type]
  if (!spec) return undefined
  return { [spec.key]: spec.list ? (value ? Number(value) : null) : value }
}

function configError(errors: Errors, type: string) {
  const spec = CONFIG_KEY[type]
  return spec ? (errors[`configuration.${spec.key}`] ?? errors.configuration) : undefined
}

function CreateForm({ users, options }: Pick<Props, 'users' | 'options'>) {
  const form = useForm({ number: '', name: '', type: 'user', userId: '', config: '' })
  const errors = form.errors as Errors
  return (
    <form
      className="card narrow editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        form.transform((data) => ({
          number: data.number,
          name: data.name,
          type: data.type,
          userId: data.type === 'user' && data.userId !== '' ? Number(data.userId) : undefined,
          configuration: configurationFor(data.type, data.config),
        }))
        form.post('/extensions', { onSuccess: () => form.reset() })
      }}
    >
      <h2>Add an extension</h2>
      <Field label="Number" error={errors.number} hint="2 to 6 digits">
        <input
          name="number"
          inputMode="numeric"
          value={form.data.number}
          onChange={(e) => form.setData('number', e.target.value)}
        />
      </Field>
      <Field label="Name" error={errors.name}>
        <input
          name="name"
          value={form.data.name}
          onChange={(e) => form.setData('name', e.target.value)}
        />
      </Field>
      <Field label="Type" error={errors.type}>
        <select
          name="type"
          value={form.data.type}
          onChange={(e) => form.setData({ ...form.data, type: e.target.value, config: '' })}
        >
          {Object.entries(TYPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      {form.data.type === 'user' ? (
        <Field label="Assign to" error={errors.userId}>
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
        </Field>
      ) : (
        <ConfigurationField
          type={form.data.type}
          value={form.data.config}
          onChange={(value) => form.setData('config', value)}
          error={configError(errors, form.data.type)}
          options={options}
        />
      )}
      <button type="submit" disabled={form.processing}>
        Create extension
      </button>
    </form>
  )
}

function EditForm({
  row,
  users,
  options,
  onClose,
}: {
  row: Row
  users: Props['users']
  options: Props['options']
  onClose: () => void
}) {
  const spec = CONFIG_KEY[row.type]
  const form = useForm({
    name: row.name,
    status: row.status,
    userId: row.userId ? String(row.userId) : '',
    voicemailEnabled: row.voicemailEnabled,
    config: spec ? String(row.configuration[spec.key] ?? '') : '',
  })
  const errors = form.errors as Errors
  return (
    <EditorPanel
      title={`Edit extension ${row.number}`}
      submitText="Save extension"
      processing={form.processing}
      onCancel={onClose}
      testId="extension-editor"
      onSubmit={() => {
        form.transform((data) =>
          row.type === 'user'
            ? {
                name: data.name,
                status: data.status,
                userId: data.userId === '' ? null : Number(data.userId),
                voicemailEnabled: data.voicemailEnabled,
              }
            : {
                name: data.name,
                status: data.status,
                configuration: configurationFor(row.type, data.config),
              },
        )
        form.patch(`/extensions/${row.id}`, { preserveScroll: true, onSuccess: onClose })
      }}
    >
      <div className="columns">
        <Field label="Name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field label="Status" error={errors.status}>
          <select value={form.data.status} onChange={(e) => form.setData('status', e.target.value)}>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </Field>
        {row.type === 'user' ? (
          <Field label="Assigned user" error={errors.userId}>
            <select
              value={form.data.userId}
              onChange={(e) => form.setData('userId', e.target.value)}
            >
              <option value="">Nobody</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <ConfigurationField
            type={row.type}
            value={form.data.config}
            onChange={(value) => form.setData('config', value)}
            error={configError(errors, row.type)}
            options={options}
          />
        )}
      </div>
      {row.type === 'user' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.data.voicemailEnabled}
            onChange={(e) => form.setData('voicemailEnabled', e.target.checked)}
          />
          Voicemail box answers unanswered calls
          {errors.voicemailEnabled && (
            <span className="field-error">{errors.voicemailEnabled}</span>
          )}
        </label>
      )}
    </EditorPanel>
  )
}

export default function ExtensionsIndex({
  extensions,
  filters,
  users,
  can,
  sipDomain,
  options,
  newCredentials,
}: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Extensions" />
      {newCredentials && (
        <SipCredentialsDialog
          key={newCredentials.password}
          credentials={newCredentials}
          domain={sipDomain}
        />
      )}
      <div className="page-head">
        <h1>Extensions</h1>
      </div>
      <ResourceToolbar
        path="/extensions"
        filters={filters}
        placeholder="Search extensions"
        canRestore={can.restore}
      />
      {editor.mode === 'edit' && editor.row && (
        <EditForm
          key={editor.row.id}
          row={editor.row}
          users={users}
          options={options}
          onClose={editor.close}
        />
      )}
      {extensions.data.length === 0 ? (
        filters.search || trashed ? (
          <EmptyState filters={filters} noun="extensions" canCreate={can.create} hint="" />
        ) : (
          <p className="muted" data-testid="empty-state">
            No extensions yet.{can.create && ' Create the first one below.'}
          </p>
        )
      ) : (
        <table className="grid" data-testid="extensions-table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Assigned to</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
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
                  <span className={`status-${e.status}`}>{e.status}</span>
                  {e.dndEnabled && <span className="badge">DND</span>}
                  {e.voicemailEnabled && <span className="tag">voicemail</span>}
                </td>
                <td>
                  <div className="row-actions">
                    {trashed
                      ? can.restore && (
                          <button
                            type="button"
                            className="link"
                            aria-label={`Restore extension ${e.number}`}
                            onClick={() =>
                              router.post(
                                `/extensions/${e.id}/restore`,
                                {},
                                { preserveScroll: true },
                              )
                            }
                          >
                            Restore
                          </button>
                        )
                      : can.update && (
                          <>
                            <button
                              type="button"
                              className="link"
                              aria-label={`Edit extension ${e.number}`}
                              onClick={() => editor.edit(e)}
                            >
                              Edit
                            </button>
                            {e.type === 'user' && (
                              <ConfirmButton
                                className="link"
                                label={`New password for ${e.number}`}
                                title={`Rotate the SIP password of ${e.number}?`}
                                message="Phones using the current password stop registering until they get the new one."
                                confirmText="Rotate password"
                                onConfirm={() =>
                                  router.post(
                                    `/extensions/${e.id}/sip-password`,
                                    {},
                                    { preserveScroll: true },
                                  )
                                }
                              >
                                New password
                              </ConfirmButton>
                            )}
                          </>
                        )}
                    {!trashed && can.delete && (
                      <ConfirmButton
                        label={`Delete extension ${e.number}`}
                        title={`Delete extension ${e.number}?`}
                        message={`${e.number} ${e.name} stops taking calls. Numbers, ring groups or menus that still use it keep it from being deleted.`}
                        onConfirm={() =>
                          router.delete(`/extensions/${e.id}`, { preserveScroll: true })
                        }
                      >
                        Delete
                      </ConfirmButton>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/extensions" filters={filters} meta={extensions.meta} noun="extension(s)" />
      {can.create && !trashed && <CreateForm users={users} options={options} />}
    </AppLayout>
  )
}

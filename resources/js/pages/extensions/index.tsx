import { router, useForm } from '@inertiajs/react'
import { Field } from '~/components/field'
import { bind, bindCheck, type BindableForm } from '~/components/form_bindings'
import { ConfirmButton } from '~/components/confirm_button'
import { EditorPanel } from '~/components/editor_panel'
import { ResourcePage, StatusField } from '~/components/resource_page'
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

/* Who a user extension belongs to (its owner manages its personal settings). */
function UserField({
  form,
  users,
  error,
}: {
  form: BindableForm
  users: Props['users']
  error?: string
}) {
  return (
    <Field label="Assign to" error={error}>
      <select name="userId" {...bind(form, 'userId')}>
        <option value="">Nobody</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({u.email})
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
        <input name="number" inputMode="numeric" {...bind(form, 'number')} />
      </Field>
      <Field label="Name" error={errors.name}>
        <input name="name" {...bind(form, 'name')} />
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
        <UserField form={form} users={users} error={errors.userId} />
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
          <input {...bind(form, 'name')} />
        </Field>
        <StatusField form={form} error={errors.status} />
        {row.type === 'user' ? (
          <UserField form={form} users={users} error={errors.userId} />
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
          <input {...bindCheck(form, 'voicemailEnabled')} />
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
  const trashed = filters.trashed === 'only'
  return (
    <ResourcePage
      title="Extensions"
      path="/extensions"
      noun="extensions"
      rows={extensions}
      filters={filters}
      can={can}
      emptyHint="Create the first one below."
      testId="extensions-table"
      rowName={(row) => `extension ${row.number}`}
      deleteMessage="It stops taking calls. Numbers, ring groups or menus that still use it keep it from being deleted."
      before={
        newCredentials && (
          <SipCredentialsDialog
            key={newCredentials.password}
            credentials={newCredentials}
            domain={sipDomain}
          />
        )
      }
      renderEditor={(editor) =>
        editor.row && (
          <EditForm row={editor.row} users={users} options={options} onClose={editor.close} />
        )
      }
      rowExtra={(row) =>
        can.update &&
        row.type === 'user' && (
          <ConfirmButton
            className="link"
            label={`New password for ${row.number}`}
            title={`Rotate the SIP password of ${row.number}?`}
            message="Phones using the current password stop registering until they get the new one."
            confirmText="Rotate password"
            onConfirm={() =>
              router.post(`/extensions/${row.id}/sip-password`, {}, { preserveScroll: true })
            }
          >
            New password
          </ConfirmButton>
        )
      }
      columns={[
        { header: 'Number', cell: (row) => row.number },
        { header: 'Name', cell: (row) => row.name },
        { header: 'Type', cell: (row) => row.type.replace('_', ' ') },
        { header: 'Assigned to', cell: (row) => (row.user ? row.user.name : '—') },
        {
          header: 'Status',
          cell: (row) => (
            <>
              <span className={`status-${row.status}`}>{row.status}</span>
              {row.dndEnabled && <span className="badge">DND</span>}
              {row.voicemailEnabled && <span className="tag">voicemail</span>}
            </>
          ),
        },
      ]}
      after={() => can.create && !trashed && <CreateForm users={users} options={options} />}
    />
  )
}

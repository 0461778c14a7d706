import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import type { Abilities, Errors, ListFilters, Paginated } from '~/components/admin_types'

const CODECS = ['PCMU', 'PCMA', 'G722', 'opus']

type Row = {
  id: number
  name: string
  kind: 'register' | 'ip'
  host: string | null
  port: number
  transport: string
  username: string | null
  passwordSet: boolean
  registerExpiry: number | null
  allowedCidrs: string[] | null
  codecs: string[]
  maxChannels: number | null
  priority: number
  callerIdNumber: string | null
  passCallerId: boolean
  enabled: boolean
  deletedAt: string | null
}

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities }

function TrunkForm({ row, onClose }: { row: Row | null; onClose: () => void }) {
  const form = useForm({
    name: row?.name ?? '',
    kind: row?.kind ?? 'register',
    host: row?.host ?? '',
    port: String(row?.port ?? 5060),
    transport: row?.transport ?? 'udp',
    username: row?.username ?? '',
    password: '',
    allowedCidrs: (row?.allowedCidrs ?? []).join('\n'),
    codecs: row?.codecs ?? ['PCMU', 'PCMA'],
    maxChannels: row?.maxChannels ? String(row.maxChannels) : '',
    priority: String(row?.priority ?? 10),
    callerIdNumber: row?.callerIdNumber ?? '',
    passCallerId: row?.passCallerId ?? true,
    enabled: row?.enabled ?? true,
  })
  const errors = form.errors as Errors
  const register = form.data.kind === 'register'
  const cidrError = Object.entries(errors).find(([k]) => k.startsWith('allowedCidrs'))?.[1]
  return (
    <EditorPanel
      title={row ? `Edit trunk ${row.name}` : 'New trunk'}
      submitText={row ? 'Save trunk' : 'Create trunk'}
      processing={form.processing}
      onCancel={onClose}
      testId="trunk-editor"
      onSubmit={() => {
        form.transform((d) => ({
          name: d.name,
          kind: d.kind,
          host: d.host || null,
          port: Number(d.port),
          transport: d.transport,
          ...(d.kind === 'register'
            ? { username: d.username || null, ...(d.password ? { password: d.password } : {}) }
            : { allowedCidrs: d.allowedCidrs.split(/[\s,]+/).filter(Boolean) }),
          codecs: d.codecs,
          maxChannels: d.maxChannels ? Number(d.maxChannels) : null,
          priority: Number(d.priority),
          callerIdNumber: d.callerIdNumber || null,
          passCallerId: d.passCallerId,
          enabled: d.enabled,
        }))
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/trunks/${row.id}`, visit)
        else form.post('/trunks', visit)
      }}
    >
      <div className="columns">
        <Field label="Trunk name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field label="Kind" error={errors.kind}>
          <select
            value={form.data.kind}
            onChange={(e) => form.setData('kind', e.target.value as Row['kind'])}
          >
            <option value="register">Registers with the carrier</option>
            <option value="ip">Trusted by IP address</option>
          </select>
        </Field>
        <Field label="Host" error={errors.host}>
          <input value={form.data.host} onChange={(e) => form.setData('host', e.target.value)} />
        </Field>
        <Field label="Port" error={errors.port}>
          <input
            type="number"
            value={form.data.port}
            onChange={(e) => form.setData('port', e.target.value)}
          />
        </Field>
        <Field label="Transport" error={errors.transport}>
          <select
            value={form.data.transport}
            onChange={(e) => form.setData('transport', e.target.value)}
          >
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="tls">TLS</option>
          </select>
        </Field>
        {register && (
          <>
            <Field label="Username" error={errors.username}>
              <input
                autoComplete="off"
                value={form.data.username}
                onChange={(e) => form.setData('username', e.target.value)}
              />
            </Field>
            <Field
              label="Password"
              error={errors.password}
              hint={row?.passwordSet ? 'Set: leave empty to keep it' : undefined}
            >
              <input
                type="password"
                autoComplete="new-password"
                value={form.data.password}
                onChange={(e) => form.setData('password', e.target.value)}
              />
            </Field>
          </>
        )}
        <Field label="Priority" error={errors.priority} hint="1–100, lower first">
          <input
            type="number"
            value={form.data.priority}
            onChange={(e) => form.setData('priority', e.target.value)}
          />
        </Field>
        <Field label="Max channels" error={errors.maxChannels} hint="Empty: no limit">
          <input
            type="number"
            value={form.data.maxChannels}
            onChange={(e) => form.setData('maxChannels', e.target.value)}
          />
        </Field>
        <Field label="Caller ID number" error={errors.callerIdNumber} hint="E.164">
          <input
            value={form.data.callerIdNumber}
            onChange={(e) => form.setData('callerIdNumber', e.target.value)}
          />
        </Field>
      </div>
      {!register && (
        <Field
          label="Allowed addresses"
          error={cidrError}
          hint="One IP or CIDR range per line, at most /16 wide"
        >
          <textarea
            value={form.data.allowedCidrs}
            onChange={(e) => form.setData('allowedCidrs', e.target.value)}
          />
        </Field>
      )}
      <fieldset>
        <legend>Codecs (in order of preference)</legend>
        <div className="inline">
          {CODECS.map((codec) => (
            <label key={codec} className="checkbox">
              <input
                type="checkbox"
                checked={form.data.codecs.includes(codec)}
                onChange={(e) =>
                  form.setData(
                    'codecs',
                    e.target.checked
                      ? [...form.data.codecs, codec]
                      : form.data.codecs.filter((c) => c !== codec),
                  )
                }
              />
              {codec}
            </label>
          ))}
        </div>
        {errors.codecs && <p className="field-error">{errors.codecs}</p>}
      </fieldset>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.data.passCallerId}
          onChange={(e) => form.setData('passCallerId', e.target.checked)}
        />
        Pass the caller’s number through (otherwise every call shows the caller ID number)
      </label>
      {errors.passCallerId && <p className="field-error">{errors.passCallerId}</p>}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.data.enabled}
          onChange={(e) => form.setData('enabled', e.target.checked)}
        />
        Enabled
      </label>
    </EditorPanel>
  )
}

export default function TrunksIndex({ rows, filters, can }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Trunks" />
      <div className="page-head">
        <h1>Trunks</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            New trunk
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/trunks"
        filters={filters}
        placeholder="Search trunks"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <TrunkForm key={editor.row?.id ?? 'new'} row={editor.row} onClose={editor.close} />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="trunks"
          canCreate={can.create}
          hint="A trunk connects the PBX to your carrier for outside calls."
        />
      ) : (
        <table className="grid" data-testid="trunks-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Host</th>
              <th scope="col">Codecs</th>
              <th scope="col">Priority</th>
              <th scope="col">Enabled</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <tr key={row.id}>
                <td>{row.name}</td>
                <td>{row.kind === 'register' ? 'register' : 'IP'}</td>
                <td>
                  {row.host
                    ? `${row.host}:${row.port}/${row.transport}`
                    : (row.allowedCidrs ?? []).join(', ')}
                </td>
                <td>{row.codecs.join(', ')}</td>
                <td>{row.priority}</td>
                <td>{row.enabled ? 'yes' : 'no'}</td>
                <td>
                  <RowActions
                    path="/trunks"
                    id={row.id}
                    name={`trunk ${row.name}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Outbound routes that use this trunk keep it from being deleted."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/trunks" filters={filters} meta={rows.meta} noun="trunk(s)" />
    </AppLayout>
  )
}

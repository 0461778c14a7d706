import { useForm } from '@inertiajs/react'
import { ResourcePage } from '~/components/resource_page'
import { Field } from '~/components/field'
import { bind, bindCheck, saveForm } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
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
        saveForm(form, '/trunks', row, onClose)
      }}
    >
      <div className="columns">
        <Field label="Trunk name" error={errors.name}>
          <input {...bind(form, 'name')} />
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
          <input {...bind(form, 'host')} />
        </Field>
        <Field label="Port" error={errors.port}>
          <input type="number" {...bind(form, 'port')} />
        </Field>
        <Field label="Transport" error={errors.transport}>
          <select {...bind(form, 'transport')}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="tls">TLS</option>
          </select>
        </Field>
        {register && (
          <>
            <Field label="Username" error={errors.username}>
              <input autoComplete="off" {...bind(form, 'username')} />
            </Field>
            <Field
              label="Password"
              error={errors.password}
              hint={row?.passwordSet ? 'Set: leave empty to keep it' : undefined}
            >
              <input type="password" autoComplete="new-password" {...bind(form, 'password')} />
            </Field>
          </>
        )}
        <Field label="Priority" error={errors.priority} hint="1–100, lower first">
          <input type="number" {...bind(form, 'priority')} />
        </Field>
        <Field label="Max channels" error={errors.maxChannels} hint="Empty: no limit">
          <input type="number" {...bind(form, 'maxChannels')} />
        </Field>
        <Field label="Caller ID number" error={errors.callerIdNumber} hint="E.164">
          <input {...bind(form, 'callerIdNumber')} />
        </Field>
      </div>
      {!register && (
        <Field
          label="Allowed addresses"
          error={cidrError}
          hint="One IP or CIDR range per line, at most /16 wide"
        >
          <textarea {...bind(form, 'allowedCidrs')} />
        </Field>
      )}
      <fieldset>
        <legend>Codecs (preferred first: in the order you tick them)</legend>
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
        <input {...bindCheck(form, 'passCallerId')} />
        Pass the caller’s number through (otherwise every call shows the caller ID number)
      </label>
      {errors.passCallerId && <p className="field-error">{errors.passCallerId}</p>}
      <label className="checkbox">
        <input {...bindCheck(form, 'enabled')} />
        Enabled
      </label>
    </EditorPanel>
  )
}

export default function TrunksIndex(page: Props) {
  return (
    <ResourcePage
      {...page}
      title="Trunks"
      path="/trunks"
      noun="trunks"
      newLabel="New trunk"
      emptyHint="A trunk connects the PBX to your carrier for outside calls."
      testId="trunks-table"
      rowName={(row) => `trunk ${row.name}`}
      deleteMessage="Outbound routes that use this trunk keep it from being deleted."
      renderEditor={(editor) => <TrunkForm row={editor.row} onClose={editor.close} />}
      columns={[
        { header: 'Name', cell: (row) => row.name },
        { header: 'Kind', cell: (row) => (row.kind === 'register' ? 'register' : 'IP') },
        {
          header: 'Host',
          cell: (row) =>
            row.host
              ? `${row.host}:${row.port}/${row.transport}`
              : (row.allowedCidrs ?? []).join(', '),
        },
        { header: 'Codecs', cell: (row) => row.codecs.join(', ') },
        { header: 'Priority', cell: (row) => row.priority },
        { header: 'Enabled', cell: (row) => (row.enabled ? 'yes' : 'no') },
      ]}
    />
  )
}

import { useForm } from '@inertiajs/react'
import { ResourcePage, type EditorFormProps } from '~/components/resource_page'
import { Field } from '~/components/field'
import { bind, bindCheck, saveForm } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
import { OrderedPicker } from '~/components/members_editor'
import type { Abilities, Errors, ListFilters, Options, Paginated } from '~/components/admin_types'

type Row = {
  id: number
  name: string
  prefix: string | null
  minLength: number | null
  maxLength: number | null
  stripDigits: number
  prepend: string | null
  priority: number
  enabled: boolean
  trunks: { id: number; name: string; enabled: boolean; position: number }[]
  deletedAt: string | null
}

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities; options: Options }

const num = (value: string) => (value === '' ? null : Number(value))

function RouteForm({ row, options, onClose }: EditorFormProps<Row>) {
  const form = useForm({
    name: row?.name ?? '',
    prefix: row?.prefix ?? '',
    minLength: row?.minLength ? String(row.minLength) : '',
    maxLength: row?.maxLength ? String(row.maxLength) : '',
    stripDigits: String(row?.stripDigits ?? 0),
    prepend: row?.prepend ?? '',
    priority: String(row?.priority ?? 10),
    enabled: row?.enabled ?? true,
    trunkIds: (row?.trunks ?? [])
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((t) => t.id),
  })
  const errors = form.errors as Errors
  const choices = (options.trunks ?? []).map((t) => ({
    id: t.id,
    label: `${t.name}${t.enabled ? '' : ' (disabled)'}`,
  }))
  return (
    <EditorPanel
      title={row ? `Edit route ${row.name}` : 'New outbound route'}
      submitText={row ? 'Save route' : 'Create route'}
      processing={form.processing}
      onCancel={onClose}
      testId="outbound-route-editor"
      onSubmit={() => {
        form.transform((d) => ({
          name: d.name,
          prefix: d.prefix || null,
          minLength: num(d.minLength),
          maxLength: num(d.maxLength),
          stripDigits: Number(d.stripDigits),
          prepend: d.prepend || null,
          priority: Number(d.priority),
          enabled: d.enabled,
          trunkIds: d.trunkIds,
        }))
        saveForm(form, '/outbound-routes', row, onClose)
      }}
    >
      <div className="columns">
        <Field label="Route name" error={errors.name}>
          <input {...bind(form, 'name')} />
        </Field>
        <Field
          label="Dialled prefix"
          error={errors.prefix}
          hint="e.g. +, +1, 00 or 9; empty matches all"
        >
          <input {...bind(form, 'prefix')} />
        </Field>
        <Field label="Min digits" error={errors.minLength}>
          <input type="number" {...bind(form, 'minLength')} />
        </Field>
        <Field label="Max digits" error={errors.maxLength}>
          <input type="number" {...bind(form, 'maxLength')} />
        </Field>
        <Field label="Strip leading digits" error={errors.stripDigits}>
          <input type="number" {...bind(form, 'stripDigits')} />
        </Field>
        <Field label="Prepend" error={errors.prepend}>
          <input {...bind(form, 'prepend')} />
        </Field>
        <Field label="Priority" error={errors.priority} hint="Lower is tried first">
          <input type="number" {...bind(form, 'priority')} />
        </Field>
      </div>
      <OrderedPicker
        legend="Trunks (failover order)"
        ids={form.data.trunkIds}
        onChange={(ids) => form.setData('trunkIds', ids)}
        choices={choices}
        errorAt={(i) => errors[`trunkIds.${i}`]}
        error={errors.trunkIds}
        emptyText="No trunk yet: add at least one."
        addLabel="Add trunk"
        testId="route-trunks"
      />
      <label className="checkbox">
        <input {...bindCheck(form, 'enabled')} />
        Enabled
      </label>
    </EditorPanel>
  )
}

export default function OutboundRoutesIndex(page: Props) {
  const { options } = page
  return (
    <ResourcePage
      {...page}
      title="Outbound routes"
      path="/outbound-routes"
      noun="outbound routes"
      newLabel="New outbound route"
      emptyHint={
        (options.trunks ?? []).length === 0
          ? 'Create a trunk first: a route sends calls through trunks.'
          : 'A route says which dialled numbers leave through which trunks.'
      }
      testId="outbound-routes-table"
      rowName={(row) => `route ${row.name}`}
      deleteMessage="Numbers matching only this route can no longer be called out."
      renderEditor={(editor) => (
        <RouteForm row={editor.row} options={options} onClose={editor.close} />
      )}
      columns={[
        { header: 'Priority', cell: (row) => row.priority },
        { header: 'Name', cell: (row) => row.name },
        {
          header: 'Matches',
          cell: (row) =>
            `${row.prefix ? `${row.prefix}…` : 'any number'}${
              row.minLength || row.maxLength
                ? ` (${row.minLength ?? 1}–${row.maxLength ?? 20} digits)`
                : ''
            }`,
        },
        {
          header: 'Rewrite',
          cell: (row) =>
            [
              row.stripDigits > 0 && `strip ${row.stripDigits}`,
              row.prepend && `prepend ${row.prepend}`,
            ]
              .filter(Boolean)
              .join(', ') || '—',
        },
        {
          header: 'Trunks',
          cell: (row) =>
            row.trunks
              .slice()
              .sort((a, b) => a.position - b.position)
              .map((t) => (
                <span key={t.id} className="tag">
                  {t.name}
                </span>
              )),
        },
        { header: 'Enabled', cell: (row) => (row.enabled ? 'yes' : 'no') },
      ]}
    />
  )
}

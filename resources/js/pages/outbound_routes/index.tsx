import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { OrderedPicker } from '~/components/members_editor'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
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

function RouteForm({
  row,
  options,
  onClose,
}: {
  row: Row | null
  options: Options
  onClose: () => void
}) {
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
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/outbound-routes/${row.id}`, visit)
        else form.post('/outbound-routes', visit)
      }}
    >
      <div className="columns">
        <Field label="Route name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field
          label="Dialled prefix"
          error={errors.prefix}
          hint="e.g. +, +1, 00 or 9; empty matches all"
        >
          <input
            value={form.data.prefix}
            onChange={(e) => form.setData('prefix', e.target.value)}
          />
        </Field>
        <Field label="Min digits" error={errors.minLength}>
          <input
            type="number"
            value={form.data.minLength}
            onChange={(e) => form.setData('minLength', e.target.value)}
          />
        </Field>
        <Field label="Max digits" error={errors.maxLength}>
          <input
            type="number"
            value={form.data.maxLength}
            onChange={(e) => form.setData('maxLength', e.target.value)}
          />
        </Field>
        <Field label="Strip leading digits" error={errors.stripDigits}>
          <input
            type="number"
            value={form.data.stripDigits}
            onChange={(e) => form.setData('stripDigits', e.target.value)}
          />
        </Field>
        <Field label="Prepend" error={errors.prepend}>
          <input
            value={form.data.prepend}
            onChange={(e) => form.setData('prepend', e.target.value)}
          />
        </Field>
        <Field label="Priority" error={errors.priority} hint="Lower is tried first">
          <input
            type="number"
            value={form.data.priority}
            onChange={(e) => form.setData('priority', e.target.value)}
          />
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

export default function OutboundRoutesIndex({ rows, filters, can, options }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Outbound routes" />
      <div className="page-head">
        <h1>Outbound routes</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            New outbound route
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/outbound-routes"
        filters={filters}
        placeholder="Search outbound routes"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <RouteForm
          key={editor.row?.id ?? 'new'}
          row={editor.row}
          options={options}
          onClose={editor.close}
        />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="outbound routes"
          canCreate={can.create}
          hint={
            (options.trunks ?? []).length === 0
              ? 'Create a trunk first: a route sends calls through trunks.'
              : 'A route says which dialled numbers leave through which trunks.'
          }
        />
      ) : (
        <table className="grid" data-testid="outbound-routes-table">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Name</th>
              <th scope="col">Matches</th>
              <th scope="col">Rewrite</th>
              <th scope="col">Trunks</th>
              <th scope="col">Enabled</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <tr key={row.id}>
                <td>{row.priority}</td>
                <td>{row.name}</td>
                <td>
                  {row.prefix ? `${row.prefix}…` : 'any number'}
                  {(row.minLength || row.maxLength) &&
                    ` (${row.minLength ?? 1}–${row.maxLength ?? 20} digits)`}
                </td>
                <td>
                  {row.stripDigits > 0 && `strip ${row.stripDigits} `}
                  {row.prepend && `prepend ${row.prepend}`}
                  {!row.stripDigits && !row.prepend && '—'}
                </td>
                <td>
                  {row.trunks
                    .slice()
                    .sort((a, b) => a.position - b.position)
                    .map((t) => (
                      <span key={t.id} className="tag">
                        {t.name}
                      </span>
                    ))}
                </td>
                <td>{row.enabled ? 'yes' : 'no'}</td>
                <td>
                  <RowActions
                    path="/outbound-routes"
                    id={row.id}
                    name={`route ${row.name}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Numbers matching only this route can no longer be called out."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/outbound-routes" filters={filters} meta={rows.meta} noun="route(s)" />
    </AppLayout>
  )
}

import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import { TargetPicker, targetErrors, TARGET_LABELS, type Target } from '~/components/target_picker'
import type { Abilities, Errors, ListFilters, Options, Paginated } from '~/components/admin_types'

type Row = {
  id: number
  number: string
  friendlyName: string | null
  status: string
  trunkId: number | null
  routing: { type: string; id: number | null; name: string | null }
  deletedAt: string | null
}

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities; options: Options }

const ROUTING_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'business_hours',
  'conference_room',
  'voicemail',
  'hangup',
] as const

function NumberForm({
  row,
  options,
  onClose,
}: {
  row: Row | null
  options: Options
  onClose: () => void
}) {
  const form = useForm({
    number: row?.number ?? '',
    friendlyName: row?.friendlyName ?? '',
    status: row?.status ?? 'active',
    trunkId: row?.trunkId ? String(row.trunkId) : '',
    routing: (row
      ? { type: row.routing.type, id: row.routing.id }
      : { type: 'extension', id: null }) as Target,
  })
  const errors = form.errors as Errors
  return (
    <EditorPanel
      title={row ? `Edit ${row.number}` : 'Add a phone number'}
      submitText={row ? 'Save number' : 'Add number'}
      processing={form.processing}
      onCancel={onClose}
      testId="phone-number-editor"
      onSubmit={() => {
        form.transform((data) => ({
          ...(row ? {} : { number: data.number }),
          friendlyName: data.friendlyName || null,
          status: data.status,
          trunkId: data.trunkId ? Number(data.trunkId) : null,
          routing:
            data.routing.type === 'hangup'
              ? { type: 'hangup' }
              : { type: data.routing.type, id: data.routing.id ?? undefined },
        }))
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/phone-numbers/${row.id}`, visit)
        else form.post('/phone-numbers', visit)
      }}
    >
      <div className="columns">
        {row ? (
          <Field label="Number" hint="A number cannot change: add a new one instead">
            <input value={row.number} readOnly />
          </Field>
        ) : (
          <Field label="Number" error={errors.number} hint="E.164, e.g. +14155550100">
            <input
              inputMode="tel"
              value={form.data.number}
              onChange={(e) => form.setData('number', e.target.value)}
            />
          </Field>
        )}
        <Field label="Friendly name" error={errors.friendlyName}>
          <input
            value={form.data.friendlyName}
            onChange={(e) => form.setData('friendlyName', e.target.value)}
          />
        </Field>
        <Field label="Status" error={errors.status}>
          <select value={form.data.status} onChange={(e) => form.setData('status', e.target.value)}>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </Field>
        <Field label="Inbound trunk" error={errors.trunkId}>
          <select
            value={form.data.trunkId}
            onChange={(e) => form.setData('trunkId', e.target.value)}
          >
            <option value="">Any (Cloudonix / default)</option>
            {(options.trunks ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <TargetPicker
        label="Route calls to"
        types={ROUTING_TYPES}
        value={form.data.routing}
        onChange={(routing) => form.setData('routing', routing)}
        options={options}
        errors={targetErrors(errors, 'routing')}
      />
    </EditorPanel>
  )
}

export default function PhoneNumbersIndex({ rows, filters, can, options }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Phone numbers" />
      <div className="page-head">
        <h1>Phone numbers</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            Add phone number
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/phone-numbers"
        filters={filters}
        placeholder="Search phone numbers"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <NumberForm
          key={editor.row?.id ?? 'new'}
          row={editor.row}
          options={options}
          onClose={editor.close}
        />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="phone numbers"
          canCreate={can.create}
          hint="Add the numbers your carrier gave you and choose where each one rings."
        />
      ) : (
        <table className="grid" data-testid="phone-numbers-table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Name</th>
              <th scope="col">Routes to</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <tr key={row.id}>
                <td>{row.number}</td>
                <td>{row.friendlyName ?? '—'}</td>
                <td>
                  {row.routing.type === 'hangup'
                    ? 'Hang up'
                    : `${TARGET_LABELS[row.routing.type]}: ${row.routing.name ?? 'missing'}`}
                </td>
                <td className={`status-${row.status}`}>{row.status}</td>
                <td>
                  <RowActions
                    path="/phone-numbers"
                    id={row.id}
                    name={`number ${row.number}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Calls to this number will no longer be answered."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/phone-numbers" filters={filters} meta={rows.meta} noun="number(s)" />
    </AppLayout>
  )
}

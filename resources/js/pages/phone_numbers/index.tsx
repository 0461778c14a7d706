import { useForm } from '@inertiajs/react'
import { Field } from '~/components/field'
import { bind, saveForm } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
import {
  ResourcePage,
  StatusField,
  statusColumn,
  type EditorFormProps,
} from '~/components/resource_page'
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

function NumberForm({ row, options, onClose }: EditorFormProps<Row>) {
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
        saveForm(form, '/phone-numbers', row, onClose)
      }}
    >
      <div className="columns">
        {row ? (
          <Field label="Number" hint="A number cannot change: add a new one instead">
            <input value={row.number} readOnly />
          </Field>
        ) : (
          <Field label="Number" error={errors.number} hint="E.164, e.g. +14155550100">
            <input inputMode="tel" {...bind(form, 'number')} />
          </Field>
        )}
        <Field label="Friendly name" error={errors.friendlyName}>
          <input {...bind(form, 'friendlyName')} />
        </Field>
        <StatusField form={form} error={errors.status} />
        <Field label="Inbound trunk" error={errors.trunkId}>
          <select {...bind(form, 'trunkId')}>
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

export default function PhoneNumbersIndex(page: Props) {
  const { options } = page
  return (
    <ResourcePage
      {...page}
      title="Phone numbers"
      path="/phone-numbers"
      noun="phone numbers"
      newLabel="Add phone number"
      emptyHint="Add the numbers your carrier gave you and choose where each one rings."
      testId="phone-numbers-table"
      rowName={(row) => `number ${row.number}`}
      deleteMessage="Calls to this number will no longer be answered."
      renderEditor={(editor) => (
        <NumberForm row={editor.row} options={options} onClose={editor.close} />
      )}
      columns={[
        { header: 'Number', cell: (row) => row.number },
        { header: 'Name', cell: (row) => row.friendlyName ?? '—' },
        {
          header: 'Routes to',
          cell: (row) =>
            row.routing.type === 'hangup'
              ? 'Hang up'
              : `${TARGET_LABELS[row.routing.type]}: ${row.routing.name ?? 'missing'}`,
        },
        statusColumn(),
      ]}
    />
  )
}

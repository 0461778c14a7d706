import { useForm } from '@inertiajs/react'
import {
  DescriptionField,
  ResourcePage,
  StatusField,
  statusColumn,
} from '~/components/resource_page'
import { Field } from '~/components/field'
import { bind, bindCheck, saveForm } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
import type { Abilities, Errors, ListFilters, Paginated } from '~/components/admin_types'

const SWITCHES = {
  muteOnEntry: 'Mute participants when they join',
  waitForHost: 'Wait for the host (host PIN) before starting',
  record: 'Record the conference',
  announceJoinLeave: 'Announce people joining and leaving',
  musicOnHold: 'Music while waiting',
} as const
type Switch = keyof typeof SWITCHES

type Row = {
  id: number
  number: string
  name: string
  description: string | null
  hasPin: boolean
  hasHostPin: boolean
  maxParticipants: number
  status: string
  deletedAt: string | null
} & Record<Switch, boolean>

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities }

function RoomForm({ row, onClose }: { row: Row | null; onClose: () => void }) {
  const form = useForm({
    number: row?.number ?? '',
    name: row?.name ?? '',
    description: row?.description ?? '',
    pin: '',
    hostPin: '',
    clearPin: false,
    maxParticipants: String(row?.maxParticipants ?? 25),
    status: row?.status ?? 'active',
    ...(Object.fromEntries(
      Object.keys(SWITCHES).map((key) => [key, row ? row[key as Switch] : false]),
    ) as Record<Switch, boolean>),
  })
  const errors = form.errors as Errors
  return (
    <EditorPanel
      title={row ? `Edit room ${row.number}` : 'New conference room'}
      submitText={row ? 'Save room' : 'Create room'}
      processing={form.processing}
      onCancel={onClose}
      testId="conference-room-editor"
      onSubmit={() => {
        form.transform(({ pin, hostPin, clearPin, maxParticipants, description, ...data }) => ({
          ...data,
          description: description || null,
          maxParticipants: Number(maxParticipants),
          /* PINs are write-only: empty keeps the current one unless "remove" is ticked. */
          ...(clearPin ? { pin: null, hostPin: null } : {}),
          ...(pin ? { pin } : {}),
          ...(hostPin ? { hostPin } : {}),
        }))
        saveForm(form, '/conference-rooms', row, onClose)
      }}
    >
      <div className="columns">
        <Field label="Room number" error={errors.number} hint="2 to 6 digits, dialled internally">
          <input inputMode="numeric" {...bind(form, 'number')} />
        </Field>
        <Field label="Room name" error={errors.name}>
          <input {...bind(form, 'name')} />
        </Field>
        <Field
          label="Participant PIN"
          error={errors.pin}
          hint={row?.hasPin ? 'Set: leave empty to keep it' : '4 to 10 digits, optional'}
        >
          <input inputMode="numeric" autoComplete="off" {...bind(form, 'pin')} />
        </Field>
        <Field
          label="Host PIN"
          error={errors.hostPin}
          hint={row?.hasHostPin ? 'Set: leave empty to keep it' : 'Optional'}
        >
          <input inputMode="numeric" autoComplete="off" {...bind(form, 'hostPin')} />
        </Field>
        <Field label="Max participants" error={errors.maxParticipants}>
          <input type="number" min={2} max={500} {...bind(form, 'maxParticipants')} />
        </Field>
        <StatusField form={form} error={errors.status} />
      </div>
      <DescriptionField form={form} error={errors.description} />
      <fieldset>
        <legend>Options</legend>
        {(Object.entries(SWITCHES) as [Switch, string][]).map(([key, label]) => (
          <label key={key} className="checkbox">
            <input
              type="checkbox"
              checked={form.data[key]}
              onChange={(e) => form.setData(key, e.target.checked)}
            />
            {label}
          </label>
        ))}
        {row && (row.hasPin || row.hasHostPin) && (
          <label className="checkbox">
            <input {...bindCheck(form, 'clearPin')} />
            Remove both PINs (anyone with the number can join)
          </label>
        )}
      </fieldset>
    </EditorPanel>
  )
}

export default function ConferenceRoomsIndex(page: Props) {
  return (
    <ResourcePage
      {...page}
      title="Conference rooms"
      path="/conference-rooms"
      noun="conference rooms"
      newLabel="New conference room"
      emptyHint="A room callers join by its number, optionally with a PIN."
      testId="conference-rooms-table"
      rowName={(row) => `conference room ${row.number}`}
      deleteMessage="Numbers or menus that send calls here keep it from being deleted."
      renderEditor={(editor) => <RoomForm row={editor.row} onClose={editor.close} />}
      columns={[
        { header: 'Number', cell: (row) => row.number },
        { header: 'Name', cell: (row) => row.name },
        {
          header: 'PIN',
          cell: (row) => `${row.hasPin ? 'yes' : 'no'}${row.hasHostPin ? ' (+ host)' : ''}`,
        },
        { header: 'Max', cell: (row) => row.maxParticipants },
        statusColumn(),
      ]}
    />
  )
}

import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
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
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/conference-rooms/${row.id}`, visit)
        else form.post('/conference-rooms', visit)
      }}
    >
      <div className="columns">
        <Field label="Room number" error={errors.number} hint="2 to 6 digits, dialled internally">
          <input
            inputMode="numeric"
            value={form.data.number}
            onChange={(e) => form.setData('number', e.target.value)}
          />
        </Field>
        <Field label="Room name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field
          label="Participant PIN"
          error={errors.pin}
          hint={row?.hasPin ? 'Set: leave empty to keep it' : '4 to 10 digits, optional'}
        >
          <input
            inputMode="numeric"
            autoComplete="off"
            value={form.data.pin}
            onChange={(e) => form.setData('pin', e.target.value)}
          />
        </Field>
        <Field
          label="Host PIN"
          error={errors.hostPin}
          hint={row?.hasHostPin ? 'Set: leave empty to keep it' : 'Optional'}
        >
          <input
            inputMode="numeric"
            autoComplete="off"
            value={form.data.hostPin}
            onChange={(e) => form.setData('hostPin', e.target.value)}
          />
        </Field>
        <Field label="Max participants" error={errors.maxParticipants}>
          <input
            type="number"
            min={2}
            max={500}
            value={form.data.maxParticipants}
            onChange={(e) => form.setData('maxParticipants', e.target.value)}
          />
        </Field>
        <Field label="Status" error={errors.status}>
          <select value={form.data.status} onChange={(e) => form.setData('status', e.target.value)}>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </Field>
      </div>
      <Field label="Description" error={errors.description}>
        <input
          value={form.data.description}
          onChange={(e) => form.setData('description', e.target.value)}
        />
      </Field>
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
            <input
              type="checkbox"
              checked={form.data.clearPin}
              onChange={(e) => form.setData('clearPin', e.target.checked)}
            />
            Remove both PINs (anyone with the number can join)
          </label>
        )}
      </fieldset>
    </EditorPanel>
  )
}

export default function ConferenceRoomsIndex({ rows, filters, can }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Conference rooms" />
      <div className="page-head">
        <h1>Conference rooms</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            New conference room
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/conference-rooms"
        filters={filters}
        placeholder="Search conference rooms"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <RoomForm key={editor.row?.id ?? 'new'} row={editor.row} onClose={editor.close} />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="conference rooms"
          canCreate={can.create}
          hint="A room callers join by its number, optionally with a PIN."
        />
      ) : (
        <table className="grid" data-testid="conference-rooms-table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Name</th>
              <th scope="col">PIN</th>
              <th scope="col">Max</th>
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
                <td>{row.name}</td>
                <td>
                  {row.hasPin ? 'yes' : 'no'}
                  {row.hasHostPin && ' (+ host)'}
                </td>
                <td>{row.maxParticipants}</td>
                <td className={`status-${row.status}`}>{row.status}</td>
                <td>
                  <RowActions
                    path="/conference-rooms"
                    id={row.id}
                    name={`conference room ${row.number}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Numbers or menus that send calls here keep it from being deleted."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/conference-rooms" filters={filters} meta={rows.meta} noun="room(s)" />
    </AppLayout>
  )
}

import { Head, router, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import { UploadField } from '~/components/upload_field'
import type { Errors, ListFilters, Paginated } from '~/components/admin_types'

type Box = {
  pinSet: boolean
  email: string | null
  notify: boolean
  attachAudio: boolean
  retentionDays: number
  maxMessages: number
  hasGreeting: boolean
}
type Row = {
  id: number
  number: string
  name: string
  voicemailEnabled: boolean
  user: { name: string; email: string } | null
  box: Box
}
type Props = { rows: Paginated<Row>; filters: ListFilters; can: { update: boolean } }

function BoxForm({ row, onClose }: { row: Row; onClose: () => void }) {
  const form = useForm({
    pin: '',
    clearPin: false,
    email: row.box.email ?? '',
    notify: row.box.notify,
    attachAudio: row.box.attachAudio,
    retentionDays: String(row.box.retentionDays),
    maxMessages: String(row.box.maxMessages),
  })
  const errors = form.errors as Errors
  return (
    <EditorPanel
      title={`Voicemail box of ${row.number} ${row.name}`}
      submitText="Save voicemail box"
      processing={form.processing}
      onCancel={onClose}
      testId="voicemail-editor"
      onSubmit={() => {
        form.transform(({ pin, clearPin, retentionDays, maxMessages, email, ...d }) => ({
          ...d,
          email: email || null,
          retentionDays: Number(retentionDays),
          maxMessages: Number(maxMessages),
          /* The PIN is write-only: empty keeps it. */
          ...(clearPin ? { pin: null } : pin ? { pin } : {}),
        }))
        form.put(`/voicemail-boxes/${row.id}`, { preserveScroll: true, onSuccess: onClose })
      }}
    >
      <div className="columns">
        <Field
          label="PIN"
          error={errors.pin}
          hint={row.box.pinSet ? 'Set: leave empty to keep it' : '4 to 10 digits'}
        >
          <input
            inputMode="numeric"
            autoComplete="off"
            value={form.data.pin}
            onChange={(e) => form.setData('pin', e.target.value)}
          />
        </Field>
        <Field label="Notification email" error={errors.email}>
          <input
            type="email"
            value={form.data.email}
            onChange={(e) => form.setData('email', e.target.value)}
          />
        </Field>
        <Field label="Keep messages (days)" error={errors.retentionDays}>
          <input
            type="number"
            min={1}
            max={365}
            value={form.data.retentionDays}
            onChange={(e) => form.setData('retentionDays', e.target.value)}
          />
        </Field>
        <Field label="Max messages" error={errors.maxMessages}>
          <input
            type="number"
            min={1}
            max={1000}
            value={form.data.maxMessages}
            onChange={(e) => form.setData('maxMessages', e.target.value)}
          />
        </Field>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.data.notify}
          onChange={(e) => form.setData('notify', e.target.checked)}
        />
        Email a notification for each new message
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.data.attachAudio}
          onChange={(e) => form.setData('attachAudio', e.target.checked)}
        />
        Attach the recording to the email
      </label>
      {row.box.pinSet && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.data.clearPin}
            onChange={(e) => form.setData('clearPin', e.target.checked)}
          />
          Remove the PIN
        </label>
      )}
      <UploadField
        url={`/voicemail-boxes/${row.id}/greeting`}
        fileField="greeting"
        accept=".wav,audio/wav"
        label={
          row.box.hasGreeting
            ? 'Replace the greeting (WAV, up to 5 MB)'
            : 'Greeting (WAV, up to 5 MB)'
        }
        submitText="Upload greeting"
        onDone={() => router.reload()}
      />
    </EditorPanel>
  )
}

export default function VoicemailBoxesIndex({ rows, filters, can }: Props) {
  const editor = useEditor<Row>()
  return (
    <AppLayout>
      <Head title="Voicemail boxes" />
      <div className="page-head">
        <h1>Voicemail boxes</h1>
      </div>
      <ResourceToolbar
        path="/voicemail-boxes"
        filters={filters}
        placeholder="Search voicemail boxes"
        canRestore={false}
      />
      {editor.mode === 'edit' && editor.row && (
        <BoxForm key={editor.row.id} row={editor.row} onClose={editor.close} />
      )}
      {rows.data.length === 0 ? (
        <EmptyState filters={filters} noun="user extensions" canCreate={false} hint="" />
      ) : (
        <table className="grid" data-testid="voicemail-table">
          <thead>
            <tr>
              <th scope="col">Extension</th>
              <th scope="col">User</th>
              <th scope="col">Voicemail</th>
              <th scope="col">PIN</th>
              <th scope="col">Greeting</th>
              <th scope="col">Email</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <tr key={row.id}>
                <td>
                  {row.number} {row.name}
                </td>
                <td>{row.user?.name ?? '—'}</td>
                <td>{row.voicemailEnabled ? 'on' : 'off'}</td>
                <td>{row.box.pinSet ? 'set' : 'none'}</td>
                <td>{row.box.hasGreeting ? 'custom' : 'default'}</td>
                <td>{row.box.notify && row.box.email ? row.box.email : '—'}</td>
                <td>
                  {can.update && (
                    <div className="row-actions">
                      <button
                        type="button"
                        className="link"
                        aria-label={`Edit voicemail box of ${row.number}`}
                        onClick={() => editor.edit(row)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="link"
                        aria-label={`${row.voicemailEnabled ? 'Turn off' : 'Turn on'} voicemail of ${row.number}`}
                        onClick={() =>
                          router.patch(
                            `/extensions/${row.id}`,
                            { voicemailEnabled: !row.voicemailEnabled },
                            { preserveScroll: true },
                          )
                        }
                      >
                        {row.voicemailEnabled ? 'Turn off' : 'Turn on'}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/voicemail-boxes" filters={filters} meta={rows.meta} noun="box(es)" />
    </AppLayout>
  )
}

import { router, useForm } from '@inertiajs/react'
import { Field } from '~/components/field'
import { bind, bindCheck } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
import { ResourcePage } from '~/components/resource_page'
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
          <input inputMode="numeric" autoComplete="off" {...bind(form, 'pin')} />
        </Field>
        <Field label="Notification email" error={errors.email}>
          <input type="email" {...bind(form, 'email')} />
        </Field>
        <Field label="Keep messages (days)" error={errors.retentionDays}>
          <input type="number" min={1} max={365} {...bind(form, 'retentionDays')} />
        </Field>
        <Field label="Max messages" error={errors.maxMessages}>
          <input type="number" min={1} max={1000} {...bind(form, 'maxMessages')} />
        </Field>
      </div>
      <label className="checkbox">
        <input {...bindCheck(form, 'notify')} />
        Email a notification for each new message
      </label>
      <label className="checkbox">
        <input {...bindCheck(form, 'attachAudio')} />
        Attach the recording to the email
      </label>
      {row.box.pinSet && (
        <label className="checkbox">
          <input {...bindCheck(form, 'clearPin')} />
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

/* Boxes are settings of user extensions: nothing to create, delete or restore here. */
const NO_RESOURCE_ACTIONS = { create: false, delete: false, restore: false }

export default function VoicemailBoxesIndex({ rows, filters, can }: Props) {
  return (
    <ResourcePage
      title="Voicemail boxes"
      path="/voicemail-boxes"
      noun="voicemail boxes"
      rows={rows}
      filters={filters}
      can={{ ...NO_RESOURCE_ACTIONS, update: can.update }}
      emptyHint=""
      testId="voicemail-table"
      rowName={(row) => `voicemail box of ${row.number}`}
      deleteMessage=""
      renderEditor={(editor) => editor.row && <BoxForm row={editor.row} onClose={editor.close} />}
      actions={(row, editor) =>
        can.update && (
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
        )
      }
      columns={[
        { header: 'Extension', cell: (row) => `${row.number} ${row.name}` },
        { header: 'User', cell: (row) => row.user?.name ?? '—' },
        { header: 'Voicemail', cell: (row) => (row.voicemailEnabled ? 'on' : 'off') },
        { header: 'PIN', cell: (row) => (row.box.pinSet ? 'set' : 'none') },
        { header: 'Greeting', cell: (row) => (row.box.hasGreeting ? 'custom' : 'default') },
        { header: 'Email', cell: (row) => (row.box.notify && row.box.email ? row.box.email : '—') },
      ]}
    />
  )
}

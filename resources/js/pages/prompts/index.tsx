import { router, useForm } from '@inertiajs/react'
import { useState } from 'react'
import { Field } from '~/components/field'
import { bind } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
import { ResourcePage, StatusField, statusColumn } from '~/components/resource_page'
import { UploadField } from '~/components/upload_field'
import type { Abilities, Errors, ListFilters, Paginated } from '~/components/admin_types'

type Row = {
  id: number
  name: string
  kind: 'upload' | 'remote'
  status: string
  originalFilename: string | null
  size: number | null
  durationSeconds: number | null
  remoteUrl: string | null
  playUrl?: string | null
  deletedAt: string | null
}
type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities }

const sizeOf = (bytes: number | null) =>
  bytes === null
    ? '—'
    : bytes > 1_000_000
      ? `${(bytes / 1_000_000).toFixed(1)} MB`
      : `${Math.ceil(bytes / 1000)} kB`

function UploadPanel({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('')
  const [errors, setErrors] = useState<Errors>({})
  return (
    <section className="card editor" aria-labelledby="upload-title" data-testid="prompt-upload">
      <h2 id="upload-title">Upload a prompt</h2>
      <Field label="Prompt name" error={errors.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <UploadField
        url="/prompts"
        fileField="file"
        accept=".wav,.mp3,audio/wav,audio/mpeg"
        label="Audio file (WAV or MP3, up to 20 MB)"
        extraFields={{ name }}
        submitText="Upload prompt"
        onErrors={setErrors}
        onDone={() => {
          onClose()
          router.reload()
        }}
      />
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  )
}

function RenameForm({ row, onClose }: { row: Row; onClose: () => void }) {
  const form = useForm({ name: row.name, status: row.status })
  const errors = form.errors as Errors
  return (
    <EditorPanel
      title={`Edit prompt ${row.name}`}
      submitText="Save prompt"
      processing={form.processing}
      onCancel={onClose}
      onSubmit={() =>
        form.patch(`/prompts/${row.id}`, { preserveScroll: true, onSuccess: onClose })
      }
    >
      <div className="columns">
        <Field label="Prompt name" error={errors.name}>
          <input {...bind(form, 'name')} />
        </Field>
        <StatusField form={form} error={errors.status} />
      </div>
    </EditorPanel>
  )
}

export default function PromptsIndex(page: Props) {
  return (
    <ResourcePage
      {...page}
      title="Prompts"
      path="/prompts"
      noun="prompts"
      newLabel="Upload prompt"
      emptyHint="Upload the greetings and menu announcements callers hear."
      testId="prompts-table"
      rowName={(row) => `prompt ${row.name}`}
      deleteMessage="Menus or greetings that still play it keep it from being deleted."
      renderEditor={(editor) =>
        editor.row ? (
          <RenameForm row={editor.row} onClose={editor.close} />
        ) : (
          <UploadPanel onClose={editor.close} />
        )
      }
      columns={[
        { header: 'Name', cell: (row) => row.name },
        {
          header: 'Listen',
          cell: (row) =>
            row.playUrl ? (
              <audio controls preload="none" src={row.playUrl} aria-label={`Play ${row.name}`} />
            ) : row.remoteUrl ? (
              <a href={row.remoteUrl} rel="noreferrer" target="_blank">
                remote file
              </a>
            ) : (
              '—'
            ),
        },
        { header: 'File', cell: (row) => row.originalFilename ?? row.kind },
        { header: 'Size', cell: (row) => sizeOf(row.size) },
        statusColumn(),
      ]}
    />
  )
}

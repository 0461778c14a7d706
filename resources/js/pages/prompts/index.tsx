import { Head, router, useForm } from '@inertiajs/react'
import { useState } from 'react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
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
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field label="Status" error={errors.status}>
          <select value={form.data.status} onChange={(e) => form.setData('status', e.target.value)}>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </Field>
      </div>
    </EditorPanel>
  )
}

export default function PromptsIndex({ rows, filters, can }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Prompts" />
      <div className="page-head">
        <h1>Prompts</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            Upload prompt
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/prompts"
        filters={filters}
        placeholder="Search prompts"
        canRestore={can.restore}
      />
      {editor.mode === 'new' && <UploadPanel onClose={editor.close} />}
      {editor.mode === 'edit' && editor.row && (
        <RenameForm key={editor.row.id} row={editor.row} onClose={editor.close} />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="prompts"
          canCreate={can.create}
          hint="Upload the greetings and menu announcements callers hear."
        />
      ) : (
        <table className="grid" data-testid="prompts-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Listen</th>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <tr key={row.id}>
                <td>{row.name}</td>
                <td>
                  {row.playUrl ? (
                    <audio
                      controls
                      preload="none"
                      src={row.playUrl}
                      aria-label={`Play ${row.name}`}
                    />
                  ) : row.remoteUrl ? (
                    <a href={row.remoteUrl} rel="noreferrer" target="_blank">
                      remote file
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{row.originalFilename ?? row.kind}</td>
                <td>{sizeOf(row.size)}</td>
                <td className={`status-${row.status}`}>{row.status}</td>
                <td>
                  <RowActions
                    path="/prompts"
                    id={row.id}
                    name={`prompt ${row.name}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Menus or greetings that still play it keep it from being deleted."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/prompts" filters={filters} meta={rows.meta} noun="prompt(s)" />
    </AppLayout>
  )
}

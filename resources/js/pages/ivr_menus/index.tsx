import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import { IVR_TARGETS, IvrOptionsEditor, type IvrOption } from '~/components/ivr_options_editor'
import { TargetPicker, describeTarget, targetErrors, type Target } from '~/components/target_picker'
import type { Abilities, Errors, ListFilters, Options, Paginated } from '~/components/admin_types'

type Prompt = { recordingId: number | null; ttsText: string | null }
type Row = {
  id: number
  name: string
  description: string | null
  prompt: Prompt | null
  firstDigitTimeout: number
  maxRetries: number
  failover: Target
  status: string
  options: { digit: string; description: string | null; target: Target; position: number }[]
  deletedAt: string | null
}

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities; options: Options }

function MenuForm({
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
    description: row?.description ?? '',
    promptKind: row?.prompt?.recordingId ? 'recording' : 'tts',
    recordingId: row?.prompt?.recordingId ? String(row.prompt.recordingId) : '',
    ttsText: row?.prompt?.ttsText ?? '',
    firstDigitTimeout: String(row?.firstDigitTimeout ?? 5),
    maxRetries: String(row?.maxRetries ?? 3),
    status: row?.status ?? 'active',
    failover: row?.failover ?? ({ type: 'hangup', id: null } as Target),
    options: (row?.options ?? [])
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((o) => ({
        digit: o.digit,
        description: o.description ?? '',
        target: o.target,
      })) as IvrOption[],
  })
  const errors = form.errors as Errors
  const asTarget = (t: Target) => (t.type === 'hangup' ? { type: 'hangup', id: null } : t)
  return (
    <EditorPanel
      title={row ? `Edit IVR menu ${row.name}` : 'New IVR menu'}
      submitText={row ? 'Save menu' : 'Create menu'}
      processing={form.processing}
      onCancel={onClose}
      testId="ivr-editor"
      onSubmit={() => {
        form.transform((data) => ({
          name: data.name,
          description: data.description || null,
          prompt:
            data.promptKind === 'recording'
              ? { recordingId: data.recordingId ? Number(data.recordingId) : null, ttsText: null }
              : { ttsText: data.ttsText || null, recordingId: null },
          firstDigitTimeout: Number(data.firstDigitTimeout),
          maxRetries: Number(data.maxRetries),
          status: data.status,
          failover: asTarget(data.failover),
          options: data.options.map((o) => ({
            digit: o.digit,
            description: o.description || null,
            target: asTarget(o.target),
          })),
        }))
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/ivr-menus/${row.id}`, visit)
        else form.post('/ivr-menus', visit)
      }}
    >
      <div className="columns">
        <Field label="Menu name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field label="Wait for a key (seconds)" error={errors.firstDigitTimeout}>
          <input
            type="number"
            min={1}
            max={30}
            value={form.data.firstDigitTimeout}
            onChange={(e) => form.setData('firstDigitTimeout', e.target.value)}
          />
        </Field>
        <Field label="Retries" error={errors.maxRetries}>
          <input
            type="number"
            min={1}
            max={9}
            value={form.data.maxRetries}
            onChange={(e) => form.setData('maxRetries', e.target.value)}
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
        <legend>Greeting</legend>
        <div className="inline">
          <label className="checkbox">
            <input
              type="radio"
              name="promptKind"
              checked={form.data.promptKind === 'tts'}
              onChange={() => form.setData('promptKind', 'tts')}
            />
            Text read aloud
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="promptKind"
              checked={form.data.promptKind === 'recording'}
              onChange={() => form.setData('promptKind', 'recording')}
            />
            Recorded prompt
          </label>
        </div>
        {form.data.promptKind === 'tts' ? (
          <Field
            label="Greeting text"
            error={errors['prompt.ttsText'] ?? errors['prompt.recordingId']}
          >
            <textarea
              value={form.data.ttsText}
              placeholder="Thank you for calling. For sales press 1, for support press 2."
              onChange={(e) => form.setData('ttsText', e.target.value)}
            />
          </Field>
        ) : (
          <Field label="Prompt" error={errors['prompt.recordingId']}>
            <select
              value={form.data.recordingId}
              onChange={(e) => form.setData('recordingId', e.target.value)}
            >
              <option value="">Choose a prompt…</option>
              {(options.recordings ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </fieldset>
      <IvrOptionsEditor
        options={form.data.options}
        onChange={(opts) => form.setData('options', opts)}
        choices={options}
        errors={errors}
      />
      <TargetPicker
        label="No key pressed after the retries"
        types={IVR_TARGETS}
        value={form.data.failover}
        onChange={(failover) => form.setData('failover', failover)}
        options={options}
        errors={targetErrors(errors, 'failover')}
      />
    </EditorPanel>
  )
}

export default function IvrMenusIndex({ rows, filters, can, options }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="IVR menus" />
      <div className="page-head">
        <h1>IVR menus</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            New IVR menu
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/ivr-menus"
        filters={filters}
        placeholder="Search IVR menus"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <MenuForm
          key={editor.row?.id ?? 'new'}
          row={editor.row}
          options={options}
          onClose={editor.close}
        />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="IVR menus"
          canCreate={can.create}
          hint='An IVR menu greets callers and lets them press a key: "1 for sales, 2 for support".'
        />
      ) : (
        <table className="grid" data-testid="ivr-menus-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Keys</th>
              <th scope="col">Failover</th>
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
                  {row.options.map((o) => (
                    <span key={o.digit} className="tag">
                      {o.digit} → {describeTarget(o.target, options)}
                    </span>
                  ))}
                </td>
                <td>{describeTarget(row.failover, options)}</td>
                <td className={`status-${row.status}`}>{row.status}</td>
                <td>
                  <RowActions
                    path="/ivr-menus"
                    id={row.id}
                    name={`IVR menu ${row.name}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Numbers, schedules or menus that send calls here keep it from being deleted."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/ivr-menus" filters={filters} meta={rows.meta} noun="menu(s)" />
    </AppLayout>
  )
}

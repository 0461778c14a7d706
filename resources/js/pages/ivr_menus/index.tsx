import { useForm } from '@inertiajs/react'
import {
  DescriptionField,
  ResourcePage,
  StatusField,
  statusColumn,
  type EditorFormProps,
} from '~/components/resource_page'
import { Field } from '~/components/field'
import { bind, saveForm } from '~/components/form_bindings'
import { EditorPanel } from '~/components/editor_panel'
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

function MenuForm({ row, options, onClose }: EditorFormProps<Row>) {
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
        saveForm(form, '/ivr-menus', row, onClose)
      }}
    >
      <div className="columns">
        <Field label="Menu name" error={errors.name}>
          <input {...bind(form, 'name')} />
        </Field>
        <Field label="Wait for a key (seconds)" error={errors.firstDigitTimeout}>
          <input type="number" min={1} max={30} {...bind(form, 'firstDigitTimeout')} />
        </Field>
        <Field label="Retries" error={errors.maxRetries}>
          <input type="number" min={1} max={9} {...bind(form, 'maxRetries')} />
        </Field>
        <StatusField form={form} error={errors.status} />
      </div>
      <DescriptionField form={form} error={errors.description} />
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
            <select {...bind(form, 'recordingId')}>
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

export default function IvrMenusIndex(page: Props) {
  const { options } = page
  return (
    <ResourcePage
      {...page}
      title="IVR menus"
      path="/ivr-menus"
      noun="IVR menus"
      newLabel="New IVR menu"
      emptyHint='An IVR menu greets callers and lets them press a key: "1 for sales, 2 for support".'
      testId="ivr-menus-table"
      rowName={(row) => `IVR menu ${row.name}`}
      deleteMessage="Numbers, schedules or menus that send calls here keep it from being deleted."
      renderEditor={(editor) => (
        <MenuForm row={editor.row} options={options} onClose={editor.close} />
      )}
      columns={[
        { header: 'Name', cell: (row) => row.name },
        {
          header: 'Keys',
          cell: (row) =>
            row.options.map((o) => (
              <span key={o.digit} className="tag">
                {o.digit} → {describeTarget(o.target, options)}
              </span>
            )),
        },
        { header: 'Failover', cell: (row) => describeTarget(row.failover, options) },
        statusColumn(),
      ]}
    />
  )
}

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
import { MembersEditor, withPriorities, type Member } from '~/components/members_editor'
import { TargetPicker, describeTarget, type Target } from '~/components/target_picker'
import type { Abilities, Errors, ListFilters, Options, Paginated } from '~/components/admin_types'

type Row = {
  id: number
  name: string
  description: string | null
  strategy: string
  timeout: number
  ringTurns: number
  fallbackAction: string
  fallbackTargetId: number | null
  status: string
  members: {
    extensionId: number
    priority: number
    extension: { number: string; name: string } | null
  }[]
  deletedAt: string | null
}

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities; options: Options }

const STRATEGIES: Record<string, string> = {
  simultaneous: 'Ring all at once',
  sequential: 'One after another, in order',
  round_robin: 'Round robin',
  longest_idle: 'Longest idle first',
}
const FALLBACKS = ['voicemail', 'extension', 'ring_group', 'ivr_menu', 'hangup'] as const

function GroupForm({ row, options, onClose }: EditorFormProps<Row>) {
  const form = useForm({
    name: row?.name ?? '',
    description: row?.description ?? '',
    strategy: row?.strategy ?? 'simultaneous',
    timeout: String(row?.timeout ?? 30),
    status: row?.status ?? 'active',
    members: (row?.members ?? [])
      .slice()
      .sort((a, b) => a.priority - b.priority)
      .map((m) => ({ extensionId: m.extensionId })) as Member[],
    fallback: {
      type: row?.fallbackAction ?? 'hangup',
      id: row?.fallbackTargetId ?? null,
    } as Target,
  })
  const errors = form.errors as Errors
  /* A group cannot fall back to itself: it is left out of its own choices. */
  const fallbackOptions = {
    ...options,
    ringGroups: options.ringGroups?.filter((g) => g.id !== row?.id),
  }
  return (
    <EditorPanel
      title={row ? `Edit ring group ${row.name}` : 'New ring group'}
      submitText={row ? 'Save ring group' : 'Create ring group'}
      processing={form.processing}
      onCancel={onClose}
      testId="ring-group-editor"
      onSubmit={() => {
        form.transform((data) => ({
          name: data.name,
          description: data.description || null,
          strategy: data.strategy,
          timeout: Number(data.timeout),
          status: data.status,
          members: withPriorities(data.members),
          fallbackAction: data.fallback.type,
          fallbackTargetId: data.fallback.type === 'hangup' ? null : data.fallback.id,
        }))
        saveForm(form, '/ring-groups', row, onClose)
      }}
    >
      <div className="columns">
        <Field label="Group name" error={errors.name}>
          <input {...bind(form, 'name')} />
        </Field>
        <Field label="Strategy" error={errors.strategy}>
          <select {...bind(form, 'strategy')}>
            {Object.entries(STRATEGIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Ring for (seconds)" error={errors.timeout}>
          <input type="number" min={5} max={300} {...bind(form, 'timeout')} />
        </Field>
        <StatusField form={form} error={errors.status} />
      </div>
      <DescriptionField form={form} error={errors.description} />
      <MembersEditor
        members={form.data.members}
        onChange={(members) => form.setData('members', members)}
        extensions={options.extensions ?? []}
        errors={errors}
      />
      <TargetPicker
        label="When nobody answers"
        types={FALLBACKS}
        value={form.data.fallback}
        onChange={(fallback) => form.setData('fallback', fallback)}
        options={fallbackOptions}
        errors={{ type: errors.fallbackAction, id: errors.fallbackTargetId }}
      />
    </EditorPanel>
  )
}

export default function RingGroupsIndex(page: Props) {
  const { options } = page
  return (
    <ResourcePage
      {...page}
      title="Ring groups"
      path="/ring-groups"
      noun="ring groups"
      newLabel="New ring group"
      emptyHint="A ring group rings several extensions for one number, e.g. Sales or Support."
      testId="ring-groups-table"
      rowName={(row) => `ring group ${row.name}`}
      deleteMessage="Numbers, menus or other groups that send calls here keep it from being deleted."
      renderEditor={(editor) => (
        <GroupForm row={editor.row} options={options} onClose={editor.close} />
      )}
      columns={[
        { header: 'Name', cell: (row) => row.name },
        { header: 'Strategy', cell: (row) => STRATEGIES[row.strategy] ?? row.strategy },
        {
          header: 'Members (ring order)',
          cell: (row) =>
            row.members.map((m) => (
              <span key={m.extensionId} className="tag">
                {m.extension ? `${m.extension.number} ${m.extension.name}` : 'deleted'}
              </span>
            )),
        },
        {
          header: 'No answer',
          cell: (row) =>
            describeTarget({ type: row.fallbackAction, id: row.fallbackTargetId }, options),
        },
        statusColumn(),
      ]}
    />
  )
}

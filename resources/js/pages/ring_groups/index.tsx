import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
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

function GroupForm({
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
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/ring-groups/${row.id}`, visit)
        else form.post('/ring-groups', visit)
      }}
    >
      <div className="columns">
        <Field label="Group name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field label="Strategy" error={errors.strategy}>
          <select
            value={form.data.strategy}
            onChange={(e) => form.setData('strategy', e.target.value)}
          >
            {Object.entries(STRATEGIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Ring for (seconds)" error={errors.timeout}>
          <input
            type="number"
            min={5}
            max={300}
            value={form.data.timeout}
            onChange={(e) => form.setData('timeout', e.target.value)}
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

export default function RingGroupsIndex({ rows, filters, can, options }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Ring groups" />
      <div className="page-head">
        <h1>Ring groups</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            New ring group
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/ring-groups"
        filters={filters}
        placeholder="Search ring groups"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <GroupForm
          key={editor.row?.id ?? 'new'}
          row={editor.row}
          options={options}
          onClose={editor.close}
        />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="ring groups"
          canCreate={can.create}
          hint="A ring group rings several extensions for one number, e.g. Sales or Support."
        />
      ) : (
        <table className="grid" data-testid="ring-groups-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Strategy</th>
              <th scope="col">Members (ring order)</th>
              <th scope="col">No answer</th>
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
                <td>{STRATEGIES[row.strategy] ?? row.strategy}</td>
                <td>
                  {row.members.map((m) => (
                    <span key={m.extensionId} className="tag">
                      {m.extension ? `${m.extension.number} ${m.extension.name}` : 'deleted'}
                    </span>
                  ))}
                </td>
                <td>
                  {describeTarget({ type: row.fallbackAction, id: row.fallbackTargetId }, options)}
                </td>
                <td className={`status-${row.status}`}>{row.status}</td>
                <td>
                  <RowActions
                    path="/ring-groups"
                    id={row.id}
                    name={`ring group ${row.name}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Numbers, menus or other groups that send calls here keep it from being deleted."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/ring-groups" filters={filters} meta={rows.meta} noun="ring group(s)" />
    </AppLayout>
  )
}

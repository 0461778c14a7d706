import { Head, useForm } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { Field } from '~/components/field'
import { EditorPanel, useEditor } from '~/components/editor_panel'
import { RowActions } from '~/components/row_actions'
import { EmptyState, Pager, ResourceToolbar } from '~/components/resource_toolbar'
import { TargetPicker, describeTarget, targetErrors, type Target } from '~/components/target_picker'
import {
  ExceptionsEditor,
  WEEK,
  WeeklyGrid,
  rangesOf,
  type HolidayException,
  type WeeklyRule,
} from '~/components/weekly_grid'
import type { Abilities, Errors, ListFilters, Options, Paginated } from '~/components/admin_types'

type Row = {
  id: number
  name: string
  description: string | null
  timezone: string
  status: string
  openTarget: Target
  closedTarget: Target
  rules: WeeklyRule[]
  exceptions: HolidayException[]
  deletedAt: string | null
}

type Props = { rows: Paginated<Row>; filters: ListFilters; can: Abilities; options: Options }

const TARGETS = [
  'extension',
  'ring_group',
  'ivr_menu',
  'conference_room',
  'voicemail',
  'hangup',
] as const

/* Every IANA zone the browser knows; the server checks the choice again. */
const ZONES: string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']

const OFFICE_HOURS: WeeklyRule[] = [1, 2, 3, 4, 5].map((day) => ({
  dayOfWeek: day,
  start: '09:00',
  end: '17:00',
}))

function ScheduleForm({
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
    timezone: row?.timezone ?? '',
    status: row?.status ?? 'active',
    rules: row?.rules ?? OFFICE_HOURS,
    exceptions: (row?.exceptions ?? []).map((e) => ({ ...e, ranges: e.ranges ?? [] })),
    openTarget: row?.openTarget ?? ({ type: 'extension', id: null } as Target),
    closedTarget: row?.closedTarget ?? ({ type: 'hangup', id: null } as Target),
  })
  const errors = form.errors as Errors
  const target = (t: Target) =>
    t.type === 'hangup' ? { type: 'hangup' } : { type: t.type, id: t.id ?? undefined }
  const zones =
    form.data.timezone && !ZONES.includes(form.data.timezone)
      ? [form.data.timezone, ...ZONES]
      : ZONES
  return (
    <EditorPanel
      title={row ? `Edit schedule ${row.name}` : 'New business hours schedule'}
      submitText={row ? 'Save schedule' : 'Create schedule'}
      processing={form.processing}
      onCancel={onClose}
      testId="business-hours-editor"
      onSubmit={() => {
        form.transform((data) => ({
          name: data.name,
          description: data.description || null,
          ...(data.timezone ? { timezone: data.timezone } : {}),
          status: data.status,
          rules: data.rules,
          exceptions: data.exceptions.map((e) => ({
            date: e.date,
            name: e.name,
            kind: e.kind,
            ...(e.kind === 'special' ? { ranges: e.ranges } : { ranges: [] }),
          })),
          openTarget: target(data.openTarget),
          closedTarget: target(data.closedTarget),
        }))
        const visit = { preserveScroll: true, onSuccess: onClose }
        if (row) form.patch(`/business-hours/${row.id}`, visit)
        else form.post('/business-hours', visit)
      }}
    >
      <div className="columns">
        <Field label="Schedule name" error={errors.name}>
          <input value={form.data.name} onChange={(e) => form.setData('name', e.target.value)} />
        </Field>
        <Field label="Time zone" error={errors.timezone}>
          <select
            value={form.data.timezone}
            onChange={(e) => form.setData('timezone', e.target.value)}
          >
            {!row && <option value="">The organization’s time zone</option>}
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
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
      <WeeklyGrid
        rules={form.data.rules}
        onChange={(rules) => form.setData('rules', rules)}
        errors={errors}
      />
      <ExceptionsEditor
        exceptions={form.data.exceptions}
        onChange={(exceptions) => form.setData('exceptions', exceptions)}
        errors={errors}
      />
      <div className="columns">
        <TargetPicker
          label="While open, calls go to"
          types={TARGETS}
          value={form.data.openTarget}
          onChange={(t) => form.setData('openTarget', t)}
          options={options}
          errors={targetErrors(errors, 'openTarget')}
        />
        <TargetPicker
          label="While closed, calls go to"
          types={TARGETS}
          value={form.data.closedTarget}
          onChange={(t) => form.setData('closedTarget', t)}
          options={options}
          errors={targetErrors(errors, 'closedTarget')}
        />
      </div>
    </EditorPanel>
  )
}

/* "Mon–Fri 09:00–17:00"-style summary: days with the same hours are listed together. */
function weekSummary(rules: WeeklyRule[]) {
  const groups = new Map<string, string[]>()
  for (const { day, name } of WEEK) {
    const hours = rangesOf(rules, day)
      .map((r) => `${r.start}–${r.end}`)
      .join(', ')
    if (hours) groups.set(hours, [...(groups.get(hours) ?? []), name.slice(0, 3)])
  }
  if (groups.size === 0) return 'Always closed'
  return [...groups].map(([hours, days]) => `${days.join(' ')} ${hours}`).join('; ')
}

export default function BusinessHoursIndex({ rows, filters, can, options }: Props) {
  const editor = useEditor<Row>()
  const trashed = filters.trashed === 'only'
  return (
    <AppLayout>
      <Head title="Business hours" />
      <div className="page-head">
        <h1>Business hours</h1>
        {can.create && !trashed && (
          <button type="button" onClick={editor.create}>
            New schedule
          </button>
        )}
      </div>
      <ResourceToolbar
        path="/business-hours"
        filters={filters}
        placeholder="Search schedules"
        canRestore={can.restore}
      />
      {editor.isOpen && (
        <ScheduleForm
          key={editor.row?.id ?? 'new'}
          row={editor.row}
          options={options}
          onClose={editor.close}
        />
      )}
      {rows.data.length === 0 ? (
        <EmptyState
          filters={filters}
          noun="schedules"
          canCreate={can.create}
          hint="A schedule sends calls one way during opening hours and another way after hours and on holidays."
        />
      ) : (
        <table className="grid" data-testid="business-hours-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Hours</th>
              <th scope="col">Time zone</th>
              <th scope="col">Open → / Closed →</th>
              <th scope="col">Exceptions</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.data.map((row) => (
              <tr key={row.id}>
                <td>
                  {row.name}
                  {row.status !== 'active' && <span className="tag">inactive</span>}
                </td>
                <td>{weekSummary(row.rules)}</td>
                <td>{row.timezone}</td>
                <td>
                  {describeTarget(row.openTarget, options)}
                  <br />
                  {describeTarget(row.closedTarget, options)}
                </td>
                <td>{row.exceptions.length}</td>
                <td>
                  <RowActions
                    path="/business-hours"
                    id={row.id}
                    name={`schedule ${row.name}`}
                    trashed={trashed}
                    can={can}
                    onEdit={() => editor.edit(row)}
                    deleteMessage="Numbers and menus that use this schedule keep it from being deleted."
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/business-hours" filters={filters} meta={rows.meta} noun="schedule(s)" />
    </AppLayout>
  )
}

import { router, useForm } from '@inertiajs/react'
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
import {
  CALL_DESTINATIONS,
  TargetPicker,
  describeTarget,
  targetErrors,
  type Target,
} from '~/components/target_picker'
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

const TARGETS = CALL_DESTINATIONS

/* Every IANA zone the browser knows; the server checks the choice again. */
const ZONES: string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']

const OFFICE_HOURS: WeeklyRule[] = [1, 2, 3, 4, 5].map((day) => ({
  dayOfWeek: day,
  start: '09:00',
  end: '17:00',
}))

function ScheduleForm({ row, options, onClose }: EditorFormProps<Row>) {
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
        saveForm(form, '/business-hours', row, onClose)
      }}
    >
      <div className="columns">
        <Field label="Schedule name" error={errors.name}>
          <input {...bind(form, 'name')} />
        </Field>
        <Field label="Time zone" error={errors.timezone}>
          <select {...bind(form, 'timezone')}>
            {!row && <option value="">The organization’s time zone</option>}
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </Field>
        <StatusField form={form} error={errors.status} />
      </div>
      <DescriptionField form={form} error={errors.description} />
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
      <div className="pair">
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

export default function BusinessHoursIndex(page: Props) {
  const { options } = page
  return (
    <ResourcePage
      {...page}
      title="Business hours"
      path="/business-hours"
      noun="schedules"
      newLabel="New schedule"
      emptyHint="A schedule sends calls one way during opening hours and another way after hours and on holidays."
      testId="business-hours-table"
      rowName={(row) => `schedule ${row.name}`}
      deleteMessage="Numbers and menus that use this schedule keep it from being deleted."
      rowExtra={(row) =>
        page.can.create && (
          <button
            type="button"
            className="link"
            aria-label={`Duplicate schedule ${row.name}`}
            onClick={() =>
              router.post(`/business-hours/${row.id}/duplicate`, {}, { preserveScroll: true })
            }
          >
            Duplicate
          </button>
        )
      }
      renderEditor={(editor) => (
        <ScheduleForm row={editor.row} options={options} onClose={editor.close} />
      )}
      columns={[
        { header: 'Name', cell: (row) => row.name },
        { header: 'Hours', cell: (row) => weekSummary(row.rules) },
        { header: 'Time zone', cell: (row) => row.timezone },
        {
          header: 'Open → / Closed →',
          cell: (row) => (
            <>
              {describeTarget(row.openTarget, options)}
              <br />
              {describeTarget(row.closedTarget, options)}
            </>
          ),
        },
        { header: 'Exceptions', cell: (row) => row.exceptions.length },
        statusColumn(),
      ]}
    />
  )
}

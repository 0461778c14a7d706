import type { Errors } from '~/components/admin_types'
import { Field } from '~/components/field'

export type WeeklyRule = { dayOfWeek: number; start: string; end: string }
export type TimeRange = { start: string; end: string }
export type HolidayException = {
  date: string
  name: string
  kind: 'closed' | 'special'
  ranges: TimeRange[]
}

/* The week as people read it (Monday first); the values are the API's (0 = Sunday). */
export const WEEK = [
  { day: 1, name: 'Monday' },
  { day: 2, name: 'Tuesday' },
  { day: 3, name: 'Wednesday' },
  { day: 4, name: 'Thursday' },
  { day: 5, name: 'Friday' },
  { day: 6, name: 'Saturday' },
  { day: 0, name: 'Sunday' },
]

const minutes = (time: string) => {
  const [h, m] = time.split(':').map(Number)
  return h * 60 + (m || 0)
}

/** A day's ranges in time order. */
export function rangesOf(rules: WeeklyRule[], day: number) {
  return rules
    .filter((r) => r.dayOfWeek === day)
    .sort((a, b) => minutes(a.start) - minutes(b.start))
}

/** Replaces the ranges of every day in `to` by a copy of `from`'s. */
export function copyDay(rules: WeeklyRule[], from: number, to: number[]) {
  const source = rangesOf(rules, from)
  const kept = rules.filter((r) => !to.includes(r.dayOfWeek) || r.dayOfWeek === from)
  const copies = to
    .filter((day) => day !== from)
    .flatMap((day) => source.map((r) => ({ dayOfWeek: day, start: r.start, end: r.end })))
  return [...kept, ...copies]
}

/** Why a day's ranges would be refused (end before start, overlap), checked as one types. */
export function dayProblem(ranges: TimeRange[]) {
  const sorted = [...ranges].sort((a, b) => minutes(a.start) - minutes(b.start))
  for (const [i, r] of sorted.entries()) {
    if (!r.start || !r.end) return 'Every range needs a start and an end'
    if (minutes(r.end) <= minutes(r.start)) return `${r.start}–${r.end} ends before it starts`
    if (i > 0 && minutes(r.start) < minutes(sorted[i - 1].end))
      return `${r.start}–${r.end} overlaps ${sorted[i - 1].start}–${sorted[i - 1].end}`
  }
  return null
}

/* The 24-hour strip: the open part of the day at a glance (the text says it too). */
function DayBar({ ranges }: { ranges: TimeRange[] }) {
  return (
    <div className="day-bar" aria-hidden="true">
      {ranges
        .filter((r) => r.start && r.end && minutes(r.end) > minutes(r.start))
        .map((r, i) => (
          <span
            key={i}
            className="day-bar-open"
            style={{
              left: `${(minutes(r.start) / 1440) * 100}%`,
              width: `${((minutes(r.end) - minutes(r.start)) / 1440) * 100}%`,
            }}
          />
        ))}
    </div>
  )
}

/**
 * Server errors of single weekly ranges ("rules.3.end") by day: the index is the range's
 * place in the list the form sent, which is `rules` as the grid holds it.
 */
export function errorsByDay(rules: WeeklyRule[], errors: Errors) {
  const byDay = new Map<number, string[]>()
  for (const [key, message] of Object.entries(errors)) {
    const match = /^rules\.(\d+)\./.exec(key)
    const rule = match ? rules[Number(match[1])] : undefined
    if (!rule || !message) continue
    byDay.set(rule.dayOfWeek, [...(byDay.get(rule.dayOfWeek) ?? []), message])
  }
  return byDay
}

type GridProps = {
  rules: WeeklyRule[]
  onChange: (rules: WeeklyRule[]) => void
  errors?: Errors
}

/**
 * The weekly opening hours: a row a day with its ranges as time inputs, a bar showing the
 * open part of the day, and shortcuts (copy Monday to the weekdays or to every day).
 */
export function WeeklyGrid({ rules, onChange, errors = {} }: GridProps) {
  const replaceDay = (day: number, ranges: TimeRange[]) =>
    onChange([
      ...rules.filter((r) => r.dayOfWeek !== day),
      ...ranges.map((r) => ({ dayOfWeek: day, start: r.start, end: r.end })),
    ])
  const serverErrors = errorsByDay(rules, errors)
  return (
    <fieldset className="weekly-grid">
      <legend>Weekly hours (in the schedule’s time zone)</legend>
      <div className="inline">
        <button
          type="button"
          className="secondary"
          onClick={() => onChange(copyDay(rules, 1, [2, 3, 4, 5]))}
        >
          Copy Monday to Tue–Fri
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => onChange(copyDay(rules, 1, [0, 2, 3, 4, 5, 6]))}
        >
          Copy Monday to every day
        </button>
      </div>
      {errors.rules && <p className="field-error">{errors.rules}</p>}
      <table className="grid week" data-testid="weekly-grid">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Open</th>
            <th scope="col">Hours</th>
          </tr>
        </thead>
        <tbody>
          {WEEK.map(({ day, name }) => {
            const ranges = rangesOf(rules, day)
            const problem = dayProblem(ranges)
            return (
              <tr key={day} data-day={name}>
                <th scope="row">{name}</th>
                <td className="bar-cell">
                  <DayBar ranges={ranges} />
                  <span className="muted">
                    {ranges.length === 0
                      ? 'Closed'
                      : ranges.map((r) => `${r.start}–${r.end}`).join(', ')}
                  </span>
                </td>
                <td>
                  {ranges.map((range, i) => (
                    <div key={i} className="range">
                      <input
                        type="time"
                        aria-label={`${name} range ${i + 1} opens`}
                        value={range.start}
                        onChange={(e) =>
                          replaceDay(
                            day,
                            ranges.map((r, j) => (j === i ? { ...r, start: e.target.value } : r)),
                          )
                        }
                      />
                      <span aria-hidden="true">–</span>
                      <input
                        type="time"
                        aria-label={`${name} range ${i + 1} closes`}
                        value={range.end === '24:00' ? '23:59' : range.end}
                        onChange={(e) =>
                          replaceDay(
                            day,
                            ranges.map((r, j) => (j === i ? { ...r, end: e.target.value } : r)),
                          )
                        }
                      />
                      <button
                        type="button"
                        className="icon danger"
                        aria-label={`Remove ${name} range ${i + 1}`}
                        onClick={() =>
                          replaceDay(
                            day,
                            ranges.filter((_, j) => j !== i),
                          )
                        }
                      >
                        ×
                      </button>
                    </div>
                  ))}
                  <button
                    type="button"
                    className="link"
                    aria-label={`Add hours on ${name}`}
                    onClick={() => {
                      const last = ranges.at(-1)
                      const next = last
                        ? { start: last.end, end: last.end < '23:00' ? '23:00' : '23:59' }
                        : { start: '09:00', end: '17:00' }
                      replaceDay(day, [...ranges, next])
                    }}
                  >
                    + Add hours
                  </button>
                  {problem && (
                    <p className="field-error" role="alert">
                      {problem}
                    </p>
                  )}
                  {serverErrors.get(day)?.map((message) => (
                    <p key={message} className="field-error">
                      {message}
                    </p>
                  ))}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </fieldset>
  )
}

type ExceptionProps = {
  exceptions: HolidayException[]
  onChange: (exceptions: HolidayException[]) => void
  errors?: Errors
}

/** Dated exceptions: holidays (closed all day) and days with special hours. */
export function ExceptionsEditor({ exceptions, onChange, errors = {} }: ExceptionProps) {
  const update = (index: number, change: Partial<HolidayException>) =>
    onChange(exceptions.map((e, i) => (i === index ? { ...e, ...change } : e)))
  return (
    <fieldset className="exceptions-editor">
      <legend>Holidays and exceptions</legend>
      {exceptions.length === 0 && (
        <p className="muted">No exceptions: the weekly hours apply every day.</p>
      )}
      {errors.exceptions && <p className="field-error">{errors.exceptions}</p>}
      {exceptions.map((exception, index) => {
        const err = (field: string) => errors[`exceptions.${index}.${field}`]
        /* A range's own error ("exceptions.0.ranges.1.end") is shown with the ranges. */
        const rangeError =
          err('ranges') ??
          Object.entries(errors).find(([key]) => key.startsWith(`exceptions.${index}.ranges.`))?.[1]
        return (
          <div key={index} className="exception" data-testid="exception">
            <Field label="Date" error={err('date')}>
              <input
                type="date"
                value={exception.date}
                onChange={(e) => update(index, { date: e.target.value })}
              />
            </Field>
            <Field label="Name" error={err('name')}>
              <input
                value={exception.name}
                onChange={(e) => update(index, { name: e.target.value })}
              />
            </Field>
            <Field label="Kind" error={err('kind')}>
              <select
                value={exception.kind}
                onChange={(e) => {
                  const kind = e.target.value as HolidayException['kind']
                  update(index, {
                    kind,
                    ranges: kind === 'closed' ? [] : [{ start: '10:00', end: '14:00' }],
                  })
                }}
              >
                <option value="closed">Closed all day</option>
                <option value="special">Special hours</option>
              </select>
            </Field>
            {exception.kind === 'special' &&
              exception.ranges.map((range, r) => (
                <div key={r} className="range">
                  <input
                    type="time"
                    aria-label={`${exception.name || 'Exception'} range ${r + 1} opens`}
                    value={range.start}
                    onChange={(e) =>
                      update(index, {
                        ranges: exception.ranges.map((x, j) =>
                          j === r ? { ...x, start: e.target.value } : x,
                        ),
                      })
                    }
                  />
                  <span aria-hidden="true">–</span>
                  <input
                    type="time"
                    aria-label={`${exception.name || 'Exception'} range ${r + 1} closes`}
                    value={range.end}
                    onChange={(e) =>
                      update(index, {
                        ranges: exception.ranges.map((x, j) =>
                          j === r ? { ...x, end: e.target.value } : x,
                        ),
                      })
                    }
                  />
                </div>
              ))}
            {rangeError && <span className="field-error">{rangeError}</span>}
            <button
              type="button"
              className="icon danger"
              aria-label={`Remove exception ${exception.name || index + 1}`}
              onClick={() => onChange(exceptions.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </div>
        )
      })}
      <button
        type="button"
        className="secondary"
        onClick={() =>
          onChange([...exceptions, { date: '', name: '', kind: 'closed', ranges: [] }])
        }
      >
        Add holiday or exception
      </button>
    </fieldset>
  )
}

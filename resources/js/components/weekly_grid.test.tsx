import { afterEach, describe, expect, it } from 'vitest'
import { useState } from 'react'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import {
  ExceptionsEditor,
  WeeklyGrid,
  copyDay,
  dayProblem,
  type HolidayException,
  type WeeklyRule,
} from '~/components/weekly_grid'

function GridHarness({
  initial,
  errors,
}: {
  initial: WeeklyRule[]
  errors?: Record<string, string>
}) {
  const [rules, setRules] = useState(initial)
  return (
    <>
      <WeeklyGrid rules={rules} onChange={setRules} errors={errors} />
      <output data-testid="rules">{JSON.stringify(rules)}</output>
    </>
  )
}
const rules = (): WeeklyRule[] => JSON.parse(screen.getByTestId('rules').textContent!)
const row = (day: string) => screen.getByRole('rowheader', { name: day }).closest('tr')!

afterEach(cleanup)

describe('business-hours weekly grid', () => {
  it('shows every day, Monday first, with its hours or Closed', () => {
    render(
      <GridHarness
        initial={[
          { dayOfWeek: 1, start: '09:00', end: '12:00' },
          { dayOfWeek: 1, start: '13:00', end: '17:00' },
        ]}
      />,
    )
    const days = screen.getAllByRole('rowheader').map((th) => th.textContent)
    expect(days).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ])
    expect(within(row('Monday')).getByText('09:00–12:00, 13:00–17:00')).toBeTruthy()
    expect(within(row('Sunday')).getByText('Closed')).toBeTruthy()
    const bars = row('Monday').querySelectorAll<HTMLElement>('.day-bar-open')
    expect(bars).toHaveLength(2)
    expect(bars[0].style.left).toBe('37.5%')
  })

  it('copies Monday to the weekdays, replacing what they had', () => {
    render(
      <GridHarness
        initial={[
          { dayOfWeek: 1, start: '08:00', end: '16:00' },
          { dayOfWeek: 3, start: '10:00', end: '11:00' },
          { dayOfWeek: 6, start: '10:00', end: '12:00' },
        ]}
      />,
    )
    fireEvent.click(screen.getByRole('button', { name: 'Copy Monday to Tue–Fri' }))
    const byDay = (d: number) =>
      rules()
        .filter((r) => r.dayOfWeek === d)
        .map((r) => `${r.start}-${r.end}`)
    for (const d of [1, 2, 3, 4, 5]) expect(byDay(d)).toEqual(['08:00-16:00'])
    expect(byDay(6)).toEqual(['10:00-12:00'])
    expect(byDay(0)).toEqual([])
  })

  it('adds, edits and removes ranges of a day and flags an overlap as it is typed', () => {
    render(<GridHarness initial={[]} />)
    fireEvent.click(screen.getByRole('button', { name: 'Add hours on Saturday' }))
    expect(rules()).toEqual([{ dayOfWeek: 6, start: '09:00', end: '17:00' }])

    fireEvent.click(screen.getByRole('button', { name: 'Add hours on Saturday' }))
    fireEvent.change(screen.getByLabelText('Saturday range 2 opens'), {
      target: { value: '16:00' },
    })
    expect(within(row('Saturday')).getByRole('alert').textContent).toBe(
      '16:00–23:00 overlaps 09:00–17:00',
    )

    fireEvent.click(screen.getByRole('button', { name: 'Remove Saturday range 2' }))
    expect(within(row('Saturday')).queryByRole('alert')).toBeNull()
    fireEvent.change(screen.getByLabelText('Saturday range 1 closes'), {
      target: { value: '13:30' },
    })
    expect(rules()).toEqual([{ dayOfWeek: 6, start: '09:00', end: '13:30' }])
  })

  it('shows a server error of one range on the day that range belongs to', () => {
    render(
      <GridHarness
        initial={[
          { dayOfWeek: 1, start: '09:00', end: '17:00' },
          { dayOfWeek: 3, start: '09:00', end: '17:00' },
        ]}
        errors={{ 'rules.1.end': 'The end must be after the start' }}
      />,
    )
    expect(within(row('Wednesday')).getByText('The end must be after the start')).toBeTruthy()
    expect(within(row('Monday')).queryByText('The end must be after the start')).toBeNull()
  })

  it('judges ranges like the server does', () => {
    expect(
      dayProblem([
        { start: '09:00', end: '12:00' },
        { start: '12:00', end: '13:00' },
      ]),
    ).toBeNull()
    expect(dayProblem([{ start: '10:00', end: '09:00' }])).toBe('10:00–09:00 ends before it starts')
    expect(copyDay([{ dayOfWeek: 1, start: '09:00', end: '10:00' }], 1, [0])).toHaveLength(2)
  })
})

function ExceptionsHarness({ errors }: { errors?: Record<string, string> }) {
  const [list, setList] = useState<HolidayException[]>([])
  return (
    <>
      <ExceptionsEditor exceptions={list} onChange={setList} errors={errors} />
      <output data-testid="exceptions">{JSON.stringify(list)}</output>
    </>
  )
}

describe('business-hours exceptions', () => {
  it('adds a holiday, switches it to special hours, and shows server errors by field', () => {
    render(
      <ExceptionsHarness
        errors={{ 'exceptions.0.date': 'The date is not a real calendar date' }}
      />,
    )
    expect(screen.getByText(/No exceptions/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Add holiday or exception' }))
    const item = screen.getByTestId('exception')
    fireEvent.change(within(item).getByLabelText('Date'), { target: { value: '2026-12-24' } })
    fireEvent.change(within(item).getByLabelText('Name'), { target: { value: 'Christmas Eve' } })
    fireEvent.change(within(item).getByLabelText('Kind'), { target: { value: 'special' } })
    expect(within(item).getByLabelText('Christmas Eve range 1 opens')).toBeTruthy()
    expect(JSON.parse(screen.getByTestId('exceptions').textContent!)).toEqual([
      {
        date: '2026-12-24',
        name: 'Christmas Eve',
        kind: 'special',
        ranges: [{ start: '10:00', end: '14:00' }],
      },
    ])
    expect(within(item).getByText('The date is not a real calendar date')).toBeTruthy()
    expect(within(item).getByLabelText('Date').getAttribute('aria-invalid')).toBe('true')

    fireEvent.click(screen.getByRole('button', { name: 'Remove exception Christmas Eve' }))
    expect(JSON.parse(screen.getByTestId('exceptions').textContent!)).toEqual([])
  })
})

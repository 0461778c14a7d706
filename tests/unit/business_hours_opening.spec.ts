import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import BusinessHoursRule from '#models/business_hours_rule'
import BusinessHoursException from '#models/business_hours_exception'
import { evaluateOpening, type OpeningSpec } from '#services/business_hours/opening'

const SUN = 0
const WEEKDAYS = [1, 2, 3, 4, 5]

function spec(
  timezone: string,
  rules: [number, string, string][],
  exceptions: OpeningSpec['exceptions'] = [],
): OpeningSpec {
  return {
    timezone,
    rules: rules.map(([dayOfWeek, start, end]) => ({ dayOfWeek, start, end })),
    exceptions,
  }
}
const at = (s: OpeningSpec, iso: string) => evaluateOpening(s, DateTime.fromISO(iso))
const openAt = (s: OpeningSpec, iso: string) => at(s, iso).open
const officeHours = (timezone: string) =>
  spec(
    timezone,
    WEEKDAYS.map((d) => [d, '09:00', '17:00']),
  )

test.group('Business hours: opening evaluation', () => {
  test('start is inclusive and end exclusive, to the second', ({ assert }) => {
    const s = officeHours('UTC')
    /* 2026-11-23 is a Monday. */
    assert.isFalse(openAt(s, '2026-11-23T08:59:59Z'))
    assert.isTrue(openAt(s, '2026-11-23T09:00:00Z'))
    assert.isTrue(openAt(s, '2026-11-23T16:59:59Z'))
    assert.isFalse(openAt(s, '2026-11-23T17:00:00Z'))
  })

  test('a range ending at 24:00 stays open until midnight and not after', ({ assert }) => {
    const s = spec('UTC', [[1, '18:00', '24:00']])
    assert.isTrue(openAt(s, '2026-11-23T23:59:59Z'))
    const next = at(s, '2026-11-24T00:00:00Z')
    assert.isFalse(next.open)
    assert.equal(next.reason, 'closed_all_day')
  })

  test('several ranges on one day leave the gap between them closed', ({ assert }) => {
    const s = spec('UTC', [
      [1, '09:00', '12:00'],
      [1, '13:00', '17:00'],
    ])
    assert.isTrue(openAt(s, '2026-11-23T11:59:00Z'))
    assert.isFalse(openAt(s, '2026-11-23T12:30:00Z'))
    assert.isTrue(openAt(s, '2026-11-23T13:00:00Z'))
  })

  test('weekdays are read in the schedule zone around midnight (Asia/Tokyo)', ({ assert }) => {
    const s = spec('Asia/Tokyo', [[1, '00:00', '09:00']])
    /* Sunday 2026-11-22 23:59 JST, then Monday 00:00 JST. */
    const before = at(s, '2026-11-22T14:59:00Z')
    assert.isFalse(before.open)
    assert.equal(before.reason, 'closed_all_day')
    const after = at(s, '2026-11-22T15:00:00Z')
    assert.isTrue(after.open)
    assert.equal(after.reason, 'weekly')
    assert.equal(after.local.toISO(), '2026-11-23T00:00:00.000+09:00')
  })

  test('an instant just before midnight in America/Los_Angeles is still the previous day', ({
    assert,
  }) => {
    const s = spec('America/Los_Angeles', [[1, '22:00', '24:00']])
    /* Tuesday 07:59Z is Monday 23:59 in Los Angeles (PST, UTC-8). */
    assert.isTrue(openAt(s, '2026-11-24T07:59:00Z'))
    assert.isFalse(openAt(s, '2026-11-24T08:00:00Z'))
  })

  test('Europe/London spring forward: ranges follow the local wall clock', ({ assert }) => {
    /* 2026-03-29, a Sunday: 01:00 GMT jumps to 02:00 BST at 01:00Z. */
    const s = spec('Europe/London', [
      [SUN, '01:00', '03:00'],
      [SUN, '09:00', '17:00'],
    ])
    assert.isFalse(openAt(s, '2026-03-29T00:59:59Z'))
    assert.isTrue(openAt(s, '2026-03-29T01:00:00Z'), '02:00 BST')
    assert.isFalse(openAt(s, '2026-03-29T02:00:00Z'), '03:00 BST')
    assert.isFalse(openAt(s, '2026-03-29T07:59:59Z'), '08:59 BST')
    assert.isTrue(openAt(s, '2026-03-29T08:00:00Z'), '09:00 BST')
    assert.isFalse(openAt(s, '2026-03-29T16:00:00Z'), '17:00 BST')
  })

  test('Europe/London fall back: 01:30 happens twice and 01:00–02:00 is open both times', ({
    assert,
  }) => {
    /* 2026-10-25, a Sunday: 02:00 BST falls back to 01:00 GMT at 01:00Z. */
    const s = spec('Europe/London', [[SUN, '01:00', '02:00']])
    const first = at(s, '2026-10-25T00:30:00Z')
    const second = at(s, '2026-10-25T01:30:00Z')
    assert.isTrue(first.open)
    assert.isTrue(second.open)
    assert.equal(first.local.toISO(), '2026-10-25T01:30:00.000+01:00')
    assert.equal(second.local.toISO(), '2026-10-25T01:30:00.000+00:00')
    assert.isFalse(openAt(s, '2026-10-24T23:59:59Z'), '00:59 BST')
    assert.isFalse(openAt(s, '2026-10-25T02:00:00Z'), '02:00 GMT')
  })

  test('America/New_York spring forward: 09:00 EDT opens at 13:00Z, not 14:00Z', ({ assert }) => {
    /* 2026-03-08, a Sunday: 02:00 EST jumps to 03:00 EDT at 07:00Z. */
    const s = spec('America/New_York', [
      [SUN, '09:00', '17:00'],
      [6, '09:00', '17:00'],
    ])
    assert.isFalse(openAt(s, '2026-03-07T13:30:00Z'), 'Saturday 08:30 EST')
    assert.isTrue(openAt(s, '2026-03-08T13:30:00Z'), 'Sunday 09:30 EDT')
    assert.isFalse(openAt(s, '2026-03-08T21:00:00Z'), 'Sunday 17:00 EDT')
    const night = spec('America/New_York', [[SUN, '01:00', '03:00']])
    assert.isTrue(openAt(night, '2026-03-08T06:59:59Z'), '01:59:59 EST')
    assert.isFalse(openAt(night, '2026-03-08T07:00:00Z'), '03:00 EDT')
  })

  test('America/New_York fall back: 01:00–02:00 is open for both 01:30s', ({ assert }) => {
    /* 2026-11-01, a Sunday: 02:00 EDT falls back to 01:00 EST at 06:00Z. */
    const s = spec('America/New_York', [[SUN, '01:00', '02:00']])
    assert.isTrue(openAt(s, '2026-11-01T05:30:00Z'), '01:30 EDT')
    assert.isTrue(openAt(s, '2026-11-01T06:30:00Z'), '01:30 EST')
    assert.isFalse(openAt(s, '2026-11-01T04:59:59Z'), '00:59 EDT')
    assert.isFalse(openAt(s, '2026-11-01T07:00:00Z'), '02:00 EST')
  })

  test('an exception date is the date in the schedule zone, not the UTC date', ({ assert }) => {
    /* Pacific/Auckland is UTC+13 in December; 2026-12-25 is a Friday. */
    const s = spec(
      'Pacific/Auckland',
      WEEKDAYS.map((d) => [d, '09:00', '17:00']),
      [
        {
          date: '2026-12-24',
          name: 'Christmas Eve',
          kind: 'special',
          ranges: [{ start: '09:00', end: '12:00' }],
        },
        { date: '2026-12-25', name: 'Christmas', kind: 'closed', ranges: [] },
      ],
    )
    const christmas = at(s, '2026-12-24T21:00:00Z')
    assert.isFalse(christmas.open, 'Friday 10:00 in Auckland, still the 24th in UTC')
    assert.equal(christmas.reason, 'exception')
    const eveMorning = at(s, '2026-12-23T21:00:00Z')
    assert.isTrue(eveMorning.open, 'Thursday 10:00 inside the special hours')
    assert.equal(eveMorning.reason, 'exception')
    assert.isFalse(openAt(s, '2026-12-23T23:30:00Z'), 'Thursday 12:30, after the special hours')
    assert.isTrue(openAt(s, '2026-12-22T21:00:00Z'), 'Wednesday 10:00, a normal day')
  })

  test('a special-hours exception opens a day that is normally closed', ({ assert }) => {
    const s = spec(
      'UTC',
      [],
      [
        {
          date: '2026-11-22',
          name: 'Open Sunday',
          kind: 'special',
          ranges: [{ start: '10:00', end: '14:00' }],
        },
      ],
    )
    assert.isTrue(openAt(s, '2026-11-22T10:00:00Z'))
    assert.isFalse(openAt(s, '2026-11-22T14:00:00Z'))
    assert.equal(at(s, '2026-11-29T10:00:00Z').reason, 'closed_all_day')
  })

  test('the model answers isOpenAt for a Date or a DateTime from its preloaded children', ({
    assert,
  }) => {
    const schedule = new BusinessHoursSchedule().merge({ timezone: 'Europe/London' })
    const rule = new BusinessHoursRule().merge({
      dayOfWeek: SUN,
      startTime: '01:00',
      endTime: '02:00',
    })
    const holiday = new BusinessHoursException().merge({
      date: '2026-10-18',
      name: 'Closed',
      kind: 'closed',
      ranges: [],
    })
    schedule.$setRelated('rules', [rule])
    schedule.$setRelated('exceptions', [holiday])
    assert.isTrue(schedule.isOpenAt(new Date('2026-10-25T00:30:00Z')))
    assert.isTrue(schedule.isOpenAt(DateTime.fromISO('2026-10-25T01:30:00Z')))
    assert.isFalse(schedule.isOpenAt(DateTime.fromISO('2026-10-18T00:30:00Z')))
  })
})

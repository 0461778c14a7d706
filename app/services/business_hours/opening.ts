import { DateTime } from 'luxon'
import type { ExceptionKind, TimeRange } from '#enums/business_hours'

export type WeeklyRange = TimeRange & { dayOfWeek: number }
export type OpeningSpec = {
  timezone: string
  rules: WeeklyRange[]
  exceptions: { date: string; name?: string; kind: ExceptionKind; ranges: TimeRange[] }[]
}
export type OpeningReason = 'exception' | 'weekly' | 'closed_all_day'

/** "HH:MM" → minutes since local midnight; "24:00" is 1440, the end of the day. */
export function minutesOf(time: string) {
  const [hours, minutes] = time.split(':').map(Number)
  return hours * 60 + minutes
}

const inside = (ranges: TimeRange[], minute: number) =>
  ranges.some((r) => minutesOf(r.start) <= minute && minute < minutesOf(r.end))

/**
 * Whether the schedule is open at an instant. Everything is decided on the wall clock of the
 * schedule's zone: across a DST change a range means the local times it names, so on a
 * fall-back day 01:30 happens twice and a 01:00–02:00 range is open both times, and on a
 * spring-forward day local times that do not exist are never reached. Starts are inclusive,
 * ends exclusive (to the second). An exception on the local date replaces the weekly ranges.
 */
export function evaluateOpening(spec: OpeningSpec, instant: DateTime | Date) {
  const utc = instant instanceof Date ? DateTime.fromJSDate(instant) : instant
  const local = utc.setZone(spec.timezone)
  const minute = local.hour * 60 + local.minute
  const date = local.toISODate()!
  const exception = spec.exceptions.find((e) => e.date === date)
  if (exception) {
    const open = exception.kind === 'special' && inside(exception.ranges, minute)
    return { open, reason: 'exception' as OpeningReason, local }
  }
  /* luxon numbers Monday 1 … Sunday 7; schedules use Sunday 0 … Saturday 6. */
  const ranges = spec.rules.filter((r) => r.dayOfWeek === local.weekday % 7)
  if (ranges.length === 0) return { open: false, reason: 'closed_all_day' as OpeningReason, local }
  return { open: inside(ranges, minute), reason: 'weekly' as OpeningReason, local }
}

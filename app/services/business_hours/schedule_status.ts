import { DateTime } from 'luxon'
import type BusinessHoursSchedule from '#models/business_hours_schedule'

/**
 * Whether the schedule is open at an instant (default: now) and which routing target applies
 * then. `at` has been validated to carry Z or an offset, so it never depends on the server zone.
 */
export function scheduleStatusAt(schedule: BusinessHoursSchedule, at?: string) {
  const instant = at ? DateTime.fromISO(at, { setZone: true }) : DateTime.now()
  const { open, reason, local } = schedule.evaluateAt(instant)
  return {
    open,
    at: instant.toUTC().toISO(),
    localTime: local.toISO(),
    timezone: schedule.timezone,
    reason,
    target: open ? schedule.openTarget : schedule.closedTarget,
  }
}

import type BusinessHoursSchedule from '#models/business_hours_schedule'

/** Rules and exceptions must be preloaded; they come sorted by day/date and start. */
export function serializeBusinessHours(schedule: BusinessHoursSchedule) {
  return {
    id: schedule.id,
    organizationId: schedule.organizationId,
    name: schedule.name,
    description: schedule.description ?? null,
    timezone: schedule.timezone,
    status: schedule.status,
    openTarget: schedule.openTarget,
    closedTarget: schedule.closedTarget,
    rules: [...schedule.rules]
      .sort((a, b) => a.dayOfWeek - b.dayOfWeek || a.startTime.localeCompare(b.startTime))
      .map((r) => ({ dayOfWeek: r.dayOfWeek, start: r.startTime, end: r.endTime })),
    exceptions: [...schedule.exceptions]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((e) => ({ date: e.date, name: e.name, kind: e.kind, ranges: e.ranges })),
    createdAt: schedule.createdAt.toISO(),
    updatedAt: schedule.updatedAt.toISO(),
    deletedAt: schedule.deletedAt?.toISO() ?? null,
  }
}

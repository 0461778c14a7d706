import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type BusinessHoursSchedule from '#models/business_hours_schedule'
import BusinessHoursRule from '#models/business_hours_rule'
import BusinessHoursException from '#models/business_hours_exception'
import type { ExceptionKind, TimeRange } from '#enums/business_hours'
import { routingChanged } from '#services/voice/routing_cache'

export type RuleInput = TimeRange & { dayOfWeek: number }
export type ExceptionInput = {
  date: string
  name: string
  kind: ExceptionKind
  ranges?: TimeRange[]
}

/**
 * Replaces a schedule's weekly ranges and/or exceptions inside the caller's transaction (the
 * API has PUT semantics for each list), then reloads both so the row serializes complete.
 */
export async function replaceChildren(
  schedule: BusinessHoursSchedule,
  input: { rules?: RuleInput[]; exceptions?: ExceptionInput[] },
  trx: TransactionClientContract,
) {
  const owner = { organizationId: schedule.organizationId, scheduleId: schedule.id }
  // The bulk deletes skip the model hooks: the routing cache is told here, after the commit.
  if (input.rules || input.exceptions)
    await routingChanged({ organizationIds: [schedule.organizationId] }, trx)
  if (input.rules) {
    await trx.from('business_hours_rules').where('schedule_id', schedule.id).delete()
    await BusinessHoursRule.createMany(
      input.rules.map((r) => ({
        ...owner,
        dayOfWeek: r.dayOfWeek,
        startTime: r.start,
        endTime: r.end,
      })),
      { client: trx },
    )
  }
  if (input.exceptions) {
    await trx.from('business_hours_exceptions').where('schedule_id', schedule.id).delete()
    await BusinessHoursException.createMany(
      input.exceptions.map((e) => ({
        ...owner,
        date: e.date,
        name: e.name,
        kind: e.kind,
        ranges: e.kind === 'special' ? (e.ranges ?? []) : [],
      })),
      { client: trx },
    )
  }
  await schedule.load((loader) => {
    loader
      .load('rules', (q) => q.orderBy('day_of_week').orderBy('start_time'))
      .load('exceptions', (q) => q.orderBy('date'))
  })
}

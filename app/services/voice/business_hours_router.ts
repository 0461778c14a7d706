import { DateTime } from 'luxon'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import { deadEnd, type VoiceCall } from '#services/voice/voice_call'
import { routeTarget } from '#services/voice/target_router'

/**
 * The open or closed target of a schedule at the instant the call is routed, on the wall
 * clock of the schedule's own timezone (holidays and special days included). An inactive
 * schedule routes nowhere rather than guessing which side applies.
 */
export async function routeBusinessHours(call: VoiceCall, id: number) {
  const schedule = await BusinessHoursSchedule.query()
    .withScopes((scopes) => scopes.forOrganization(call.organization))
    .where('id', id)
    .where('status', 'active')
    .whereNull('deleted_at')
    .preload('rules')
    .preload('exceptions')
    .first()
  if (!schedule) return deadEnd(call, 'no active business hours schedule', { id })
  const target = schedule.isOpenAt(DateTime.now()) ? schedule.openTarget : schedule.closedTarget
  return routeTarget(call, target)
}

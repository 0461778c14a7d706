import { DateTime } from 'luxon'
import { routingSchedule } from '#services/voice/routing_reads'
import { deadEnd, type VoiceCall } from '#services/voice/voice_call'
import { routeTarget } from '#services/voice/target_router'

/**
 * The open or closed target of a schedule at the instant the call is routed, on the wall
 * clock of the schedule's own timezone (holidays and special days included). An inactive
 * schedule routes nowhere rather than guessing which side applies.
 */
export async function routeBusinessHours(call: VoiceCall, id: number) {
  const schedule = await routingSchedule(call, id)
  if (!schedule) return deadEnd(call, 'no active business hours schedule', { id })
  const target = schedule.isOpenAt(DateTime.now()) ? schedule.openTarget : schedule.closedTarget
  return routeTarget(call, target)
}

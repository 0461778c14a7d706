import type { Infer } from '@vinejs/vine/types'
import type Organization from '#models/organization'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import type { Actor } from '#services/media/audited_save'
import { saveSchedule } from '#services/business_hours/schedule_save'
import { serializeBusinessHours } from '#transformers/business_hours_transformer'
import type { updateBusinessHoursValidator } from '#validators/business_hours'
import type { RoutingTarget } from '#enums/business_hours'

type Input = Infer<typeof updateBusinessHoursValidator>

function applyScalars(schedule: BusinessHoursSchedule, input: Input) {
  if (input.name !== undefined) schedule.name = input.name
  if (input.description !== undefined) schedule.description = input.description
  if (input.timezone !== undefined) schedule.timezone = input.timezone
  if (input.status !== undefined) schedule.status = input.status
  const target = (t: Input['openTarget']) => t && { type: t.type, id: t.id ?? null }
  const open = target(input.openTarget)
  if (open) schedule.merge({ openTargetType: open.type, openTargetId: open.id })
  const closed = target(input.closedTarget)
  if (closed) schedule.merge({ closedTargetType: closed.type, closedTargetId: closed.id })
}

const HANGUP: RoutingTarget = { type: 'hangup', id: null }

/** Creates and edits schedules; the time zone defaults to the organization's. */
export default class ScheduleWriter {
  create(organization: Organization, input: Input & { name: string }, actor: Actor) {
    const schedule = new BusinessHoursSchedule().merge({
      organizationId: organization.id,
      timezone: organization.timezone,
      status: 'active',
      description: null,
      openTargetType: HANGUP.type,
      openTargetId: null,
      closedTargetType: HANGUP.type,
      closedTargetId: null,
    })
    applyScalars(schedule, input)
    const children = { rules: input.rules ?? [], exceptions: input.exceptions ?? [] }
    return saveSchedule(
      schedule,
      children,
      { action: 'business_hours_schedule.created', before: null },
      actor,
    )
  }

  update(schedule: BusinessHoursSchedule, input: Input, actor: Actor) {
    const before = serializeBusinessHours(schedule)
    applyScalars(schedule, input)
    const children = { rules: input.rules, exceptions: input.exceptions }
    return saveSchedule(
      schedule,
      children,
      { action: 'business_hours_schedule.updated', before },
      actor,
    )
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import BusinessHoursSchedulePolicy from '#policies/business_hours_schedule_policy'
import AuditTrail from '#services/audit/audit_trail'
import ScheduleWriter from '#services/business_hours/schedule_writer'
import ScheduleLifecycle from '#services/business_hours/schedule_lifecycle'
import { findSchedule, listSchedules } from '#services/business_hours/schedule_lookup'
import { scheduleStatusAt } from '#services/business_hours/schedule_status'
import { serializeBusinessHours } from '#transformers/business_hours_transformer'
import { paginated } from '#transformers/pagination'
import {
  businessHoursStatusValidator,
  createBusinessHoursValidator,
  listBusinessHoursValidator,
  updateBusinessHoursValidator,
} from '#validators/business_hours'

@inject()
export default class BusinessHoursController {
  constructor(
    protected writer: ScheduleWriter,
    protected lifecycle: ScheduleLifecycle,
  ) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(BusinessHoursSchedulePolicy).authorize('viewAny')
    const filters = await request.validateUsing(listBusinessHoursValidator, {
      data: request.qs(),
    })
    return paginated(await listSchedules(organization, filters), serializeBusinessHours)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(BusinessHoursSchedulePolicy).authorize('create')
    const input = await ctx.request.validateUsing(createBusinessHoursValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const schedule = await this.writer.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeBusinessHours(schedule) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const schedule = await findSchedule(organization, params.id)
    await bouncer.with(BusinessHoursSchedulePolicy).authorize('view', schedule)
    return { data: serializeBusinessHours(schedule) }
  }

  /** Whether the schedule is open at `at` (default: now) and where calls go then. */
  async status({ params, request, organization, bouncer }: HttpContext) {
    const schedule = await findSchedule(organization, params.id)
    await bouncer.with(BusinessHoursSchedulePolicy).authorize('view', schedule)
    const { at } = await request.validateUsing(businessHoursStatusValidator, { data: request.qs() })
    return { data: scheduleStatusAt(schedule, at) }
  }

  async update(ctx: HttpContext) {
    const schedule = await findSchedule(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(BusinessHoursSchedulePolicy).authorize('update', schedule)
    const input = await ctx.request.validateUsing(updateBusinessHoursValidator, {
      meta: { organizationId: ctx.organization.id, ignoreId: schedule.id },
    })
    const updated = await this.writer.update(schedule, input, AuditTrail.fromRequest(ctx))
    return { data: serializeBusinessHours(updated) }
  }

  async duplicate(ctx: HttpContext) {
    const schedule = await findSchedule(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(BusinessHoursSchedulePolicy).authorize('create')
    const copy = await this.lifecycle.duplicate(schedule, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeBusinessHours(copy) })
  }

  async destroy(ctx: HttpContext) {
    const schedule = await findSchedule(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(BusinessHoursSchedulePolicy).authorize('delete', schedule)
    await this.lifecycle.delete(schedule, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }

  async restore(ctx: HttpContext) {
    const schedule = await findSchedule(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(BusinessHoursSchedulePolicy).authorize('restore', schedule)
    const restored = await this.lifecycle.restore(schedule, AuditTrail.fromRequest(ctx))
    return { data: serializeBusinessHours(restored) }
  }
}

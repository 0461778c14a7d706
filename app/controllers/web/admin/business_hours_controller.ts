import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import BusinessHoursSchedulePolicy from '#policies/business_hours_schedule_policy'
import AuditTrail from '#services/audit/audit_trail'
import ScheduleWriter from '#services/business_hours/schedule_writer'
import ScheduleLifecycle from '#services/business_hours/schedule_lifecycle'
import { findSchedule, listSchedules } from '#services/business_hours/schedule_lookup'
import { paginated } from '#transformers/pagination'
import { serializeBusinessHours } from '#transformers/business_hours_transformer'
import {
  createBusinessHoursValidator,
  listBusinessHoursValidator,
  updateBusinessHoursValidator,
} from '#validators/business_hours'
import { adminResource } from '#controllers/web/admin/resource_controller'
import { done } from '#controllers/web/admin/admin_page'

const Resource = adminResource({
  page: 'business_hours/index',
  policy: BusinessHoursSchedulePolicy,
  label: (schedule) => `Schedule ${schedule.name}`,
  listValidator: listBusinessHoursValidator,
  list: async (organization, filters) =>
    paginated(await listSchedules(organization, filters), serializeBusinessHours),
  find: findSchedule,
  createValidator: createBusinessHoursValidator,
  updateValidator: updateBusinessHoursValidator,
  writer: ScheduleWriter,
  lifecycle: ScheduleLifecycle,
  options: ['extensions', 'ringGroups', 'ivrMenus', 'conferenceRooms'],
})

/** The Business hours page: weekly ranges, dated exceptions, and where calls go. */
export default class AdminBusinessHoursController extends Resource {
  /** A copy to adapt (e.g. summer hours), made by the API's own duplicate. */
  async duplicate(ctx: HttpContext) {
    const schedule = await findSchedule(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(BusinessHoursSchedulePolicy).authorize('create')
    const lifecycle = await app.container.make(ScheduleLifecycle)
    const copy = await lifecycle.duplicate(schedule, AuditTrail.fromRequest(ctx))
    return done(ctx, `Schedule ${schedule.name} copied as ${copy.name}.`)
  }
}

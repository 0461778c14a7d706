import BusinessHoursSchedulePolicy from '#policies/business_hours_schedule_policy'
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

/** The Business hours page: weekly ranges, dated exceptions, and where calls go. */
export default adminResource({
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

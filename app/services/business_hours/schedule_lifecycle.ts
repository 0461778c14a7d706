import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import ApiException from '#exceptions/api_exception'
import references from '#services/references/reference_registry'
import type { Actor } from '#services/media/audited_save'
import { saveSchedule } from '#services/business_hours/schedule_save'
import { serializeBusinessHours } from '#transformers/business_hours_transformer'

const NAME_MAX = 100

/** Soft delete, restore and duplicate. */
export default class ScheduleLifecycle {
  /* Refused while a phone number (or anything else registered) still routes through it. */
  async delete(schedule: BusinessHoursSchedule, actor: Actor) {
    const { organizationId, id } = schedule
    await references.assertUnreferenced(
      'business_hours_schedule',
      'business-hours schedule',
      organizationId,
      id,
    )
    const before = serializeBusinessHours(schedule)
    schedule.deletedAt = DateTime.now()
    return saveSchedule(schedule, {}, { action: 'business_hours_schedule.deleted', before }, actor)
  }

  /* The name may have been reused meanwhile: restoring would clash. */
  async restore(schedule: BusinessHoursSchedule, actor: Actor) {
    return db.transaction(async (trx) => {
      const clash = await trx
        .from('business_hours_schedules')
        .where('organization_id', schedule.organizationId)
        .whereNull('deleted_at')
        .whereRaw('lower(name) = lower(?)', [schedule.name])
        .first()
      if (clash)
        throw ApiException.conflict(
          `Another schedule is now named "${schedule.name}": rename it first`,
        )
      schedule.deletedAt = null
      const entry = { action: 'business_hours_schedule.restored', before: null }
      return saveSchedule(schedule, {}, entry, actor, trx)
    })
  }

  /** A copy named "<name> (copy)", or "(copy 2)", "(copy 3)"… when that is taken. */
  async duplicate(source: BusinessHoursSchedule, actor: Actor) {
    return db.transaction(async (trx) => {
      const taken = await trx
        .from('business_hours_schedules')
        .where('organization_id', source.organizationId)
        .whereNull('deleted_at')
        .select('name')
      const names = new Set(taken.map((row) => String(row.name).toLowerCase()))
      let name = ''
      for (let n = 1; !name || names.has(name.toLowerCase()); n++) {
        const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`
        name = source.name.slice(0, NAME_MAX - suffix.length) + suffix
      }
      const copy = new BusinessHoursSchedule().merge({
        organizationId: source.organizationId,
        name,
        description: source.description,
        timezone: source.timezone,
        status: source.status,
        openTargetType: source.openTargetType,
        openTargetId: source.openTargetId,
        closedTargetType: source.closedTargetType,
        closedTargetId: source.closedTargetId,
      })
      const children = serializeBusinessHours(source)
      const entry = {
        action: 'business_hours_schedule.created',
        before: null,
        metadata: { duplicatedFrom: source.id },
      }
      return saveSchedule(copy, children, entry, actor, trx)
    })
  }
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type BusinessHoursSchedule from '#models/business_hours_schedule'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import type { Actor } from '#services/media/audited_save'
import { isUniqueViolation } from '#services/shared/field_error'
import {
  replaceChildren,
  type ExceptionInput,
  type RuleInput,
} from '#services/business_hours/schedule_children'
import { serializeBusinessHours } from '#transformers/business_hours_transformer'

type Snapshot = Record<string, unknown>

/**
 * Saves the schedule, replaces its children and writes the audit row in one transaction, so a
 * failed range insert never leaves a half-updated schedule behind.
 */
export async function saveSchedule(
  schedule: BusinessHoursSchedule,
  children: { rules?: RuleInput[]; exceptions?: ExceptionInput[] },
  entry: { action: string; before: Snapshot | null; metadata?: Snapshot },
  actor: Actor,
  trx?: TransactionClientContract,
) {
  const work = async (client: TransactionClientContract) => {
    /*
     * Two concurrent replacements would each delete only the children they can see and both
     * insert theirs; locking the schedule row first makes them run one after the other.
     */
    if (schedule.$isPersisted) {
      await client.from('business_hours_schedules').where('id', schedule.id).forUpdate().first()
      if (children.rules || children.exceptions) schedule.updatedAt = DateTime.now()
    }
    schedule.useTransaction(client)
    await schedule.save()
    await replaceChildren(schedule, children, client)
    const after = schedule.deletedAt ? null : serializeBusinessHours(schedule)
    const { action, before, metadata } = entry
    const subject = { subjectType: 'business_hours_schedule', subjectId: schedule.id }
    await AuditTrail.record(actor, { action, ...subject, before, after, metadata }, client)
    return schedule
  }
  try {
    return await (trx ? work(trx) : db.transaction(work))
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    throw ApiException.conflict('Another business-hours schedule took this name meanwhile')
  }
}

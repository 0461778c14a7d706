import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type PhoneNumber from '#models/phone_number'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { routingTargetProblem } from '#services/phone_numbers/routing_targets'
import { saveUniqueNumber } from '#services/phone_numbers/phone_number_writer'
import { serializePhoneNumber } from '#transformers/phone_number_transformer'
import type { TargetedRoutingType } from '#enums/phone_numbers'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * Soft delete and restore. Nothing inside the PBX points at a number, so delete never
 * conflicts; restore does when the number went to anyone else meanwhile or its routing
 * target can no longer take calls (deleting the number had released that reference).
 */
export default class PhoneNumberLifecycle {
  async delete(row: PhoneNumber, actor: Actor) {
    await db.transaction(async (trx) => {
      row.useTransaction(trx)
      row.deletedAt = DateTime.now()
      await row.save()
      await AuditTrail.record(
        actor,
        {
          action: 'phone_number.deleted',
          subjectType: 'phone_number',
          subjectId: row.id,
          before: serializePhoneNumber(row),
        },
        trx,
      )
    })
  }

  async restore(row: PhoneNumber, actor: Actor) {
    await this.assertRestorable(row)
    return db.transaction(async (trx) => {
      const taken = await trx
        .from('phone_numbers')
        .where('number', row.number)
        .whereNull('deleted_at')
        .first()
      /* Whoever holds it now (possibly another tenant) is not disclosed. */
      if (taken) throw ApiException.conflict('This phone number is in use again: it cannot return')
      row.useTransaction(trx)
      row.deletedAt = null
      await saveUniqueNumber(row)
      await AuditTrail.record(
        actor,
        {
          action: 'phone_number.restored',
          subjectType: 'phone_number',
          subjectId: row.id,
          after: serializePhoneNumber(row),
        },
        trx,
      )
      return row
    })
  }

  private async assertRestorable(row: PhoneNumber) {
    if (row.routingType !== 'hangup' && row.routingTargetId !== null) {
      const problem = await routingTargetProblem(
        row.organizationId,
        row.routingType as TargetedRoutingType,
        row.routingTargetId,
      )
      if (problem) throw ApiException.conflict(`${problem}: restore refused, route it elsewhere`)
    }
    if (row.trunkId === null) return
    const trunk = await db
      .from('trunks')
      .where('organization_id', row.organizationId)
      .where('id', row.trunkId)
      .whereNull('deleted_at')
      .first()
    if (!trunk) throw ApiException.conflict('Its inbound trunk was deleted: restore refused')
  }
}

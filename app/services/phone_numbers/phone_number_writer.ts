import db from '@adonisjs/lucid/services/db'
import { errors as vineErrors } from '@vinejs/vine'
import type Organization from '#models/organization'
import PhoneNumber from '#models/phone_number'
import AuditTrail from '#services/audit/audit_trail'
import { serializePhoneNumber } from '#transformers/phone_number_transformer'
import type { PhoneNumberStatus, RoutingType } from '#enums/phone_numbers'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
export type PhoneNumberInput = {
  number?: unknown
  friendlyName?: string | null
  status?: PhoneNumberStatus
  trunkId?: number | null
  routing?: { type: RoutingType; id?: number }
}

/*
 * The validator checked the number is free; only two concurrent creates can still collide
 * on the global unique index, and the loser gets the same field error it would have had.
 */
export async function saveUniqueNumber(row: PhoneNumber) {
  try {
    await row.save()
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error
    throw new vineErrors.E_VALIDATION_ERROR([
      { field: 'number', message: 'This phone number is already in use', rule: 'phoneNumberTaken' },
    ])
  }
}

function applyInput(row: PhoneNumber, input: PhoneNumberInput) {
  if (input.friendlyName !== undefined) row.friendlyName = input.friendlyName
  if (input.status !== undefined) row.status = input.status
  if (input.trunkId !== undefined) row.trunkId = input.trunkId
  if (input.routing) {
    row.routingType = input.routing.type
    row.routingTargetId = input.routing.type === 'hangup' ? null : (input.routing.id ?? null)
  }
}

/** Creates and edits numbers, each change audited in the same transaction. */
export default class PhoneNumberWriter {
  async create(
    organization: Organization,
    input: PhoneNumberInput & { number: string; routing: { type: RoutingType; id?: number } },
    actor: Actor,
  ) {
    return db.transaction(async (trx) => {
      const row = new PhoneNumber().merge({
        organizationId: organization.id,
        number: input.number,
        status: 'active',
        friendlyName: null,
        trunkId: null,
      })
      applyInput(row, input)
      row.useTransaction(trx)
      await saveUniqueNumber(row)
      await AuditTrail.record(
        actor,
        {
          action: 'phone_number.created',
          subjectType: 'phone_number',
          subjectId: row.id,
          after: serializePhoneNumber(row),
        },
        trx,
      )
      return row
    })
  }

  async update(row: PhoneNumber, input: PhoneNumberInput, actor: Actor) {
    return db.transaction(async (trx) => {
      const before = serializePhoneNumber(row)
      applyInput(row, input)
      row.useTransaction(trx)
      await row.save()
      await AuditTrail.record(
        actor,
        {
          action: 'phone_number.updated',
          subjectType: 'phone_number',
          subjectId: row.id,
          before,
          after: serializePhoneNumber(row),
        },
        trx,
      )
      return row
    })
  }
}

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { LucidRow } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'

export type Actor = ReturnType<typeof AuditTrail.fromRequest>
type SoftRow = LucidRow & { id: number; deletedAt: DateTime | null }
type Snapshot = Record<string, unknown>

/** One audit row named `<subject>.<verb>`, written in the caller's transaction. */
export function audit(
  actor: Actor,
  subject: string,
  verb: string,
  id: number,
  change: { before?: Snapshot; after?: Snapshot },
  trx: TransactionClientContract,
) {
  return AuditTrail.record(
    actor,
    { action: `${subject}.${verb}`, subjectType: subject, subjectId: id, ...change },
    trx,
  )
}

/**
 * Soft delete: the row stays for call history and audit, and can be restored.
 * `assertDeletable` runs first inside the transaction (e.g. lock the row, check references).
 */
export async function softDelete(
  row: SoftRow,
  subject: string,
  snapshot: Snapshot,
  actor: Actor,
  assertDeletable?: (trx: TransactionClientContract) => Promise<void>,
) {
  await db.transaction(async (trx) => {
    await assertDeletable?.(trx)
    row.useTransaction(trx)
    row.deletedAt = DateTime.now()
    await row.save()
    await audit(actor, subject, 'deleted', row.id, { before: snapshot }, trx)
  })
}

/**
 * Restores a soft-deleted row once `assertRestorable` agrees (e.g. its name was not taken
 * meanwhile by a live row); it runs inside the transaction so the check and write agree.
 */
export async function restoreRow<Row extends SoftRow>(
  row: Row,
  subject: string,
  snapshot: (row: Row) => Snapshot,
  actor: Actor,
  assertRestorable: (trx: TransactionClientContract) => Promise<void>,
) {
  const restore = () =>
    db.transaction(async (trx) => {
      await assertRestorable(trx)
      row.useTransaction(trx)
      row.deletedAt = null
      await row.save()
      await audit(actor, subject, 'restored', row.id, { after: snapshot(row) }, trx)
      return row
    })
  return uniquely(subject.replace('_', ' '), restore)
}

/** 409 when a live row of the organization already uses `value` in `column`. */
export async function assertFreeToRestore(
  trx: TransactionClientContract,
  target: { table: string; organizationId: number; column: string; value: string },
  label: string,
) {
  const taken = await trx
    .from(target.table)
    .where('organization_id', target.organizationId)
    .whereNull('deleted_at')
    .whereRaw(`lower(${target.column}) = lower(?)`, [target.value])
    .first()
  if (taken)
    throw ApiException.conflict(`Another ${label} now uses "${target.value}": rename it first`)
}

/**
 * Two writes that pass the unique validators at the same moment meet the partial unique
 * index instead: that is a conflict for the client to retry, not a server error.
 */
export async function uniquely<T>(label: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error
    throw ApiException.conflict(`Another ${label} with the same unique value was just saved: retry`)
  }
}

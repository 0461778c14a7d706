import db from '@adonisjs/lucid/services/db'
import type { LucidRow } from '@adonisjs/lucid/types/model'
import AuditTrail from '#services/audit/audit_trail'

export type Actor = ReturnType<typeof AuditTrail.fromRequest>

type Auditable = LucidRow & { id: number; deletedAt: unknown; updatedBy: number | null }

/**
 * Saves one row and writes its audit entry in the same transaction, so the log never
 * claims a change that rolled back (or misses one that committed). A deleted row has no
 * "after"; the caller passes "before" when there was one.
 */
export function auditedSave<Row extends Auditable>(
  row: Row,
  entry: { action: string; subjectType: string; before: object | null },
  actor: Actor,
  serialize: (row: Row) => object,
  metadata?: Record<string, unknown>,
) {
  row.updatedBy = actor.actorUserId
  return db.transaction(async (trx) => {
    row.useTransaction(trx)
    await row.save()
    type Snapshot = Record<string, unknown> | null
    const before = entry.before as Snapshot
    const after = (row.deletedAt ? null : serialize(row)) as Snapshot
    const { action, subjectType } = entry
    await AuditTrail.record(
      actor,
      { action, subjectType, subjectId: row.id, before, after, metadata },
      trx,
    )
    return row
  })
}

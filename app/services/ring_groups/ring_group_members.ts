import { errors } from '@vinejs/vine'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type RingGroup from '#models/ring_group'

export type MemberInput = { extensionId: number; priority: number }

function invalid(field: string, message: string, rule: string) {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule }])
}

/**
 * Replaces the whole member list inside the caller's transaction. The extensions are
 * re-checked under FOR SHARE: the validator ran before this transaction, and an extension
 * may have been deleted or deactivated meanwhile.
 */
export async function replaceMembers(
  trx: TransactionClientContract,
  group: RingGroup,
  members: MemberInput[],
) {
  const ids = members.map((member) => member.extensionId)
  const ringable = await trx
    .from('extensions')
    .where('organization_id', group.organizationId)
    .whereIn('id', ids)
    .where('type', 'user')
    .where('status', 'active')
    .whereNull('deleted_at')
    .forShare()
    .select('id')
  const found = new Set(ringable.map((row) => row.id))
  const gone = ids.findIndex((id) => !found.has(id))
  if (gone !== -1)
    throw invalid(`members.${gone}.extensionId`, 'This extension changed meanwhile', 'ringable')
  await trx.from('ring_group_members').where('ring_group_id', group.id).delete()
  const now = new Date()
  await trx.table('ring_group_members').multiInsert(
    members.map((member) => ({
      organization_id: group.organizationId,
      ring_group_id: group.id,
      extension_id: member.extensionId,
      priority: member.priority,
      created_at: now,
      updated_at: now,
    })),
  )
}

/**
 * Refuses a fallback chain that leads back to `group` (A → B → A would bounce a call
 * forever). A transaction-scoped advisory lock per organization serializes these checks,
 * so two concurrent edits cannot each close half of a loop.
 */
export async function assertNoFallbackCycle(trx: TransactionClientContract, group: RingGroup) {
  if (group.fallbackAction !== 'ring_group' || !group.fallbackRingGroupId || !group.id) return
  await trx.rawQuery(`SELECT pg_advisory_xact_lock(hashtext('ring_group_fallback'), ?)`, [
    group.organizationId,
  ])
  const result = await trx.rawQuery(
    `WITH RECURSIVE chain(id, next, depth) AS (
       SELECT id, CASE WHEN fallback_action = 'ring_group' THEN fallback_ring_group_id END, 1
         FROM ring_groups WHERE id = ? AND organization_id = ? AND deleted_at IS NULL
       UNION ALL
       SELECT g.id, CASE WHEN g.fallback_action = 'ring_group' THEN g.fallback_ring_group_id END,
              c.depth + 1
         FROM ring_groups g JOIN chain c ON g.id = c.next
        WHERE g.organization_id = ? AND g.deleted_at IS NULL AND c.depth < 100
     )
     SELECT 1 FROM chain WHERE next = ? LIMIT 1`,
    [group.fallbackRingGroupId, group.organizationId, group.organizationId, group.id],
  )
  if (result.rows.length > 0) {
    throw invalid(
      'fallbackTargetId',
      'This fallback would send calls around in a loop back to this ring group',
      'fallbackCycle',
    )
  }
}

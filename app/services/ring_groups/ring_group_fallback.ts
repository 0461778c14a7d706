import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type RingGroup from '#models/ring_group'
import { invalid } from '#services/ring_groups/ring_group_members'
import type { RingGroupFallback } from '#enums/ring_groups'

/**
 * Stores the fallback in the column of its kind and clears the others, so a stale target
 * of a previous kind never lingers (and never blocks deleting what it pointed at). The
 * validator only lets a target through together with its action.
 */
export function applyFallback(
  group: RingGroup,
  input: { fallbackAction?: RingGroupFallback; fallbackTargetId?: number | null },
) {
  if (input.fallbackAction === undefined && input.fallbackTargetId === undefined) return
  const action = input.fallbackAction ?? group.fallbackAction
  const target = input.fallbackTargetId ?? group.fallbackTargetId
  group.fallbackAction = action
  group.fallbackExtensionId = action === 'extension' || action === 'voicemail' ? target : null
  group.fallbackRingGroupId = action === 'ring_group' ? target : null
  group.fallbackIvrMenuId = action === 'ivr_menu' ? target : null
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

import { errors } from '@vinejs/vine'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type RingGroup from '#models/ring_group'
import { routingChanged } from '#services/voice/routing_cache'

export type MemberInput = { extensionId: number; priority: number }

export function invalid(field: string, message: string, rule: string) {
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
  /* A member who stays keeps when it was last offered a call (longest_idle depends on it). */
  const previous = await trx
    .from('ring_group_members')
    .where('ring_group_id', group.id)
    .delete()
    .returning(['extension_id', 'last_offered_at'])
  const offered = new Map(previous.map((row) => [row.extension_id, row.last_offered_at]))
  // Bulk writes skip the model hooks: the routing cache is told here, after the commit.
  await routingChanged({ organizationIds: [group.organizationId] }, trx)
  const now = new Date()
  await trx.table('ring_group_members').multiInsert(
    members.map((member) => ({
      organization_id: group.organizationId,
      ring_group_id: group.id,
      extension_id: member.extensionId,
      priority: member.priority,
      last_offered_at: offered.get(member.extensionId) ?? null,
      created_at: now,
      updated_at: now,
    })),
  )
}

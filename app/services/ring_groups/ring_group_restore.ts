import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type RingGroup from '#models/ring_group'
import ApiException from '#exceptions/api_exception'
import { assertFreeToRestore } from '#services/shared/audited_rows'

const TARGET_TABLES = {
  extension: 'extensions',
  voicemail: 'extensions',
  ring_group: 'ring_groups',
  ivr_menu: 'ivr_menus',
} as const

/**
 * While the group was in the bin nothing protected what it points at: its name may have
 * been reused, member extensions or the fallback target deleted. Each must be fixed first
 * (restore them, or edit the group after restoring is possible) rather than coming back
 * silently broken.
 */
export async function assertRestorable(trx: TransactionClientContract, group: RingGroup) {
  const { organizationId, name } = group
  const target = { table: 'ring_groups', organizationId, column: 'name', value: name }
  await assertFreeToRestore(trx, target, 'ring group')
  const ids = group.members.map((member) => member.extensionId)
  const live = await trx
    .from('extensions')
    .where('organization_id', organizationId)
    .whereIn('id', ids)
    .whereNull('deleted_at')
    .select('id')
  if (live.length !== ids.length) {
    throw ApiException.conflict('Some member extensions of this ring group were deleted', {
      extensionIds: ids.filter((id) => !live.some((row) => row.id === id)),
    })
  }
  const fallbackId = group.fallbackTargetId
  if (group.fallbackAction === 'hangup' || fallbackId === null) return
  const fallback = await trx
    .from(TARGET_TABLES[group.fallbackAction])
    .where('organization_id', organizationId)
    .where('id', fallbackId)
    .whereNull('deleted_at')
    .first()
  if (!fallback)
    throw ApiException.conflict(`The fallback ${group.fallbackAction} of this group was deleted`)
}

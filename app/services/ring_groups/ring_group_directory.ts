import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Organization from '#models/organization'
import RingGroup from '#models/ring_group'
import references from '#services/references/reference_registry'
import { serializeRingGroup } from '#transformers/ring_group_transformer'
import { applyFallback, assertNoFallbackCycle } from '#services/ring_groups/ring_group_fallback'
import { withFencedRingGroupLock } from '#services/ring_groups/ring_group_lock'
import { assertFenced } from '#services/locks/lock_service'
import ApiException from '#exceptions/api_exception'
import { replaceMembers } from '#services/ring_groups/ring_group_members'
import { assertRestorable } from '#services/ring_groups/ring_group_restore'
import { lockRingGroupRow } from '#services/ring_groups/ring_group_lookup'
import { audit, restoreRow, softDelete, uniquely, type Actor } from '#services/shared/audited_rows'
import type { createRingGroupValidator, updateRingGroupValidator } from '#validators/ring_group'

type CreateInput = Infer<typeof createRingGroupValidator>
type UpdateInput = Infer<typeof updateRingGroupValidator>

/**
 * Writes ring groups with their member list (replaced whole, in the same transaction as
 * the group and its audit row). Updates, deletes and restores run under the group's Redis
 * lock and are fenced: each stores the lock's token on the row, and one whose token is
 * older than the stored one (its lock expired while it was paused) writes nothing.
 */
export default class RingGroupDirectory {
  async create(organization: Organization, input: CreateInput, actor: Actor) {
    const { members, fallbackAction, fallbackTargetId, ...fields } = input
    const group = new RingGroup().merge({
      ...{ description: null, strategy: 'simultaneous', timeout: 30, ringTurns: 1 },
      ...{ status: 'active', fallbackAction: 'hangup', fenceToken: 0 },
      ...fields,
      organizationId: organization.id,
    })
    applyFallback(group, { fallbackAction, fallbackTargetId })
    return uniquely('ring group', () =>
      db.transaction(async (trx) => {
        group.useTransaction(trx)
        await group.save()
        await replaceMembers(trx, group, members)
        await group.load('members', (m) => m.preload('extension'))
        const after = serializeRingGroup(group)
        await audit(actor, 'ring_group', 'created', group.id, { after }, trx)
        return group
      }),
    )
  }

  update(group: RingGroup, input: UpdateInput, actor: Actor) {
    return withFencedRingGroupLock(group.id, (token) => this.write(group, input, actor, token))
  }

  /** The update's write, for a caller holding the group's lock with fencing token `token`. */
  write(group: RingGroup, input: UpdateInput, actor: Actor, token: number) {
    const { members, fallbackAction, fallbackTargetId, ...fields } = input
    return uniquely('ring group', () =>
      db.transaction(async (trx) => {
        const row = await lockRingGroupRow(group, trx)
        assertFenced(row.fenceToken, token, 'ring group')
        const before = serializeRingGroup(row)
        row.merge({ ...fields, fenceToken: token })
        applyFallback(row, { fallbackAction, fallbackTargetId })
        await assertNoFallbackCycle(trx, row)
        await row.save()
        if (members) await replaceMembers(trx, row, members)
        await row.load('members', (m) => m.preload('extension'))
        const after = serializeRingGroup(row)
        await audit(actor, 'ring_group', 'updated', row.id, { before, after }, trx)
        return row
      }),
    )
  }

  /* Extensions of type ring_group, phone numbers, IVRs and other groups may point here. */
  delete(group: RingGroup, actor: Actor) {
    return withFencedRingGroupLock(group.id, async (token) => {
      await references.assertUnreferenced(
        'ring_group',
        'ring group',
        group.organizationId,
        group.id,
      )
      await softDelete(group, 'ring_group', serializeRingGroup(group), actor, async (trx) => {
        const row = await lockRingGroupRow(group, trx)
        assertFenced(row.fenceToken, token, 'ring group')
        group.fenceToken = token
      })
    })
  }

  restore(group: RingGroup, actor: Actor) {
    return withFencedRingGroupLock(group.id, (token) =>
      restoreRow(group, 'ring_group', serializeRingGroup, actor, async (trx) => {
        const row = await trx
          .from('ring_groups')
          .where('id', group.id)
          .forUpdate()
          .select('fence_token')
          .first()
        if (!row) throw ApiException.notFound('Ring group')
        assertFenced(Number(row.fence_token), token, 'ring group')
        group.fenceToken = token
        await assertRestorable(trx, group)
      }),
    )
  }
}

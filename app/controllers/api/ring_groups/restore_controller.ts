import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import RingGroupPolicy from '#policies/ring_group_policy'
import AuditTrail from '#services/audit/audit_trail'
import RingGroupDirectory from '#services/ring_groups/ring_group_directory'
import { findRingGroup } from '#services/ring_groups/ring_group_lookup'
import { serializeRingGroup } from '#transformers/ring_group_transformer'

/** POST /ring-groups/:id/restore: undoes a soft delete. */
export default class RingGroupRestoreController {
  @inject()
  async store(ctx: HttpContext, directory: RingGroupDirectory) {
    const group = await findRingGroup(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(RingGroupPolicy).authorize('restore', group)
    const restored = await directory.restore(group, AuditTrail.fromRequest(ctx))
    return { data: serializeRingGroup(restored) }
  }
}

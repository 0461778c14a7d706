import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import TrunkPolicy from '#policies/trunk_policy'
import AuditTrail from '#services/audit/audit_trail'
import TrunkDirectory from '#services/trunks/trunk_directory'
import { serializeTrunk } from '#transformers/trunk_transformer'
import { findTrunk } from '#controllers/api/trunks_controller'

/** POST /trunks/:id/restore: undoes a soft delete. */
export default class TrunkRestoreController {
  @inject()
  async store(ctx: HttpContext, directory: TrunkDirectory) {
    const trunk = await findTrunk(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(TrunkPolicy).authorize('restore', trunk)
    const restored = await directory.restore(trunk, AuditTrail.fromRequest(ctx))
    return { data: serializeTrunk(restored) }
  }
}

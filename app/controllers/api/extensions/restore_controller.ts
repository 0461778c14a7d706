import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionLifecycle from '#services/extensions/extension_lifecycle'
import { findExtension } from '#services/extensions/extension_lookup'
import { serializeExtension } from '#transformers/extension_transformer'

/** POST /extensions/:id/restore: undoes a soft delete. */
export default class ExtensionRestoreController {
  @inject()
  async store(ctx: HttpContext, lifecycle: ExtensionLifecycle) {
    const extension = await findExtension(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(ExtensionPolicy).authorize('restore', extension)
    await lifecycle.restore(extension, AuditTrail.fromRequest(ctx))
    return { data: serializeExtension(extension) }
  }
}

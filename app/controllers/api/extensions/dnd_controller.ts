import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionSettings from '#services/extensions/extension_settings'
import { findExtension } from '#services/extensions/extension_lookup'
import { serializeExtension } from '#transformers/extension_transformer'

/** PUT /extensions/:id/dnd switches do-not-disturb on, DELETE off; both idempotent. */
@inject()
export default class DndController {
  constructor(protected settings: ExtensionSettings) {}

  update(ctx: HttpContext) {
    return this.#set(ctx, true)
  }

  destroy(ctx: HttpContext) {
    return this.#set(ctx, false)
  }

  async #set(ctx: HttpContext, enabled: boolean) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    await this.settings.setDnd(extension, enabled, AuditTrail.fromRequest(ctx))
    return { data: serializeExtension(extension) }
  }
}

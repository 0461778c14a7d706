import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionSettings, { normalizeForwarding } from '#services/extensions/extension_settings'
import { findExtension } from '#services/extensions/extension_lookup'
import { serializeExtension } from '#transformers/extension_transformer'
import { forwardingValidator } from '#validators/extension'

/** PUT /extensions/:id/forwarding: replaces the call-forwarding rules. */
export default class ForwardingController {
  @inject()
  async update(ctx: HttpContext, settings: ExtensionSettings) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const input = await ctx.request.validateUsing(forwardingValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const forwarding = normalizeForwarding(input)
    await settings.setForwarding(extension, forwarding, AuditTrail.fromRequest(ctx))
    return { data: serializeExtension(extension) }
  }
}

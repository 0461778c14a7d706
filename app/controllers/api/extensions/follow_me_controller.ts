import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionSettings from '#services/extensions/extension_settings'
import { findExtension } from '#services/extensions/extension_lookup'
import { serializeExtension } from '#transformers/extension_transformer'
import { followMeValidator } from '#validators/extension'

/** PUT /extensions/:id/follow-me: replaces the ordered follow-me list. */
export default class FollowMeController {
  @inject()
  async update(ctx: HttpContext, settings: ExtensionSettings) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const { enabled, numbers } = await ctx.request.validateUsing(followMeValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    await settings.setFollowMe(extension, { enabled, numbers }, AuditTrail.fromRequest(ctx))
    return { data: serializeExtension(extension) }
  }
}

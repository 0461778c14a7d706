import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionSettings from '#services/extensions/extension_settings'
import { findExtension } from '#services/extensions/extension_lookup'
import VoicemailBoxService from '#services/voicemail/voicemail_box_service'
import { followMeValidator } from '#validators/extension'
import { greetingValidator, updateVoicemailBoxValidator } from '#validators/voicemail'

/**
 * "My phone" writes beyond DND and forwarding: follow-me, voicemail PIN / notification
 * email, and the voicemail greeting. Same services and policy checks as the API routes
 * under /api/v1/extensions/:id.
 */
@inject()
export default class PortalSettingsController {
  constructor(
    protected settings: ExtensionSettings,
    protected boxes: VoicemailBoxService,
  ) {}

  async followMe(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const { enabled, numbers } = await ctx.request.validateUsing(followMeValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    await this.settings.setFollowMe(extension, { enabled, numbers }, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'Follow-me saved.')
    return ctx.response.redirect().back()
  }

  async voicemailBox(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const input = await ctx.request.validateUsing(updateVoicemailBoxValidator)
    await this.boxes.update(extension, input, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'Voicemail settings saved.')
    return ctx.response.redirect().back()
  }

  async greeting(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const { greeting } = await ctx.request.validateUsing(greetingValidator)
    await this.boxes.setGreeting(extension, greeting, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'Voicemail greeting uploaded.')
    return ctx.response.redirect().back()
  }
}

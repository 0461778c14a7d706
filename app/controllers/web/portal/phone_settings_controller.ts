import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionSettings, { normalizeForwarding } from '#services/extensions/extension_settings'
import { findExtension } from '#services/extensions/extension_lookup'
import VoicemailMessages, { findVoicemailMessage } from '#services/voicemail/voicemail_messages'
import { forwardingValidator } from '#validators/extension'
import vine from '@vinejs/vine'

const dndValidator = vine.create({ enabled: vine.boolean() })

/** The writes behind "My phone"; same services and policy checks as the API. */
@inject()
export default class PhoneSettingsController {
  constructor(
    protected settings: ExtensionSettings,
    protected voicemail: VoicemailMessages,
  ) {}

  async dnd(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const { enabled } = await ctx.request.validateUsing(dndValidator)
    await this.settings.setDnd(extension, enabled, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', enabled ? 'Do not disturb is on.' : 'Do not disturb is off.')
    return ctx.response.redirect().back()
  }

  async forwarding(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const input = await ctx.request.validateUsing(forwardingValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    await this.settings.setForwarding(
      extension,
      normalizeForwarding(input),
      AuditTrail.fromRequest(ctx),
    )
    ctx.session.flash('success', 'Call forwarding saved.')
    return ctx.response.redirect().back()
  }

  async deleteMessage(ctx: HttpContext) {
    const message = await findVoicemailMessage(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('accessVoicemail', message.extension)
    await this.voicemail.delete(message, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'Voicemail deleted.')
    return ctx.response.redirect().back()
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import VoicemailMessages, { findVoicemailMessage } from '#services/voicemail/voicemail_messages'
import { serializeVoicemailMessage } from '#transformers/voicemail_transformer'
import { updateVoicemailMessageValidator } from '#validators/voicemail'

/** PATCH (read/unread) and DELETE (soft) of one voicemail message. */
@inject()
export default class VoicemailMessagesController {
  constructor(protected messages: VoicemailMessages) {}

  async update(ctx: HttpContext) {
    const message = await findVoicemailMessage(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('accessVoicemail', message.extension)
    const { read } = await ctx.request.validateUsing(updateVoicemailMessageValidator)
    await this.messages.markRead(message, read, AuditTrail.fromRequest(ctx))
    return { data: serializeVoicemailMessage(message) }
  }

  async destroy(ctx: HttpContext) {
    const message = await findVoicemailMessage(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('accessVoicemail', message.extension)
    await this.messages.delete(message, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

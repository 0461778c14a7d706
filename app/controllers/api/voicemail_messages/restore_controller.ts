import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import VoicemailMessages, { findVoicemailMessage } from '#services/voicemail/voicemail_messages'
import { serializeVoicemailMessage } from '#transformers/voicemail_transformer'

/** POST /voicemail-messages/:id/restore: undoes a soft delete. */
export default class VoicemailMessageRestoreController {
  @inject()
  async store(ctx: HttpContext, messages: VoicemailMessages) {
    const message = await findVoicemailMessage(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(ExtensionPolicy).authorize('accessVoicemail', message.extension)
    await messages.restore(message, AuditTrail.fromRequest(ctx))
    return { data: serializeVoicemailMessage(message) }
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import VoicemailMessages, { findVoicemailMessage } from '#services/voicemail/voicemail_messages'

/** GET /voicemail-messages/:id/audio: a signed URL the audio player can fetch for 10 minutes. */
export default class VoicemailMessageAudioController {
  @inject()
  async show(ctx: HttpContext, messages: VoicemailMessages) {
    const message = await findVoicemailMessage(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('accessVoicemail', message.extension)
    return { data: messages.audioUrl(message) }
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import Extension from '#models/extension'
import VoicemailMessage from '#models/voicemail_message'
import VoicemailMessages from '#services/voicemail/voicemail_messages'
import { serializeExtension } from '#transformers/extension_transformer'
import { idParam } from '#transformers/params'
import { serializeVoicemailBox } from '#transformers/voicemail_transformer'
import { boxOf } from '#services/voicemail/voicemail_box_lookup'
import RegisteredDevices from '#services/dashboard/registered_devices'

/**
 * "My phone": the self-service page of a signed-in user — their own extensions' DND,
 * forwarding and voicemail inbox. Only extensions assigned to the user are listed, so
 * the page needs no policy beyond "it is mine" (the write routes still ask the policy).
 */
export default class PhoneController {
  async show({ inertia, organization, currentUser, request }: HttpContext) {
    const extensions = await Extension.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('user_id', currentUser.id)
      .whereNull('deleted_at')
      .orderBy('number')
    const wanted = idParam(request.qs().extension)
    const selected = extensions.find((e) => e.id === wanted) ?? extensions[0] ?? null
    const messages = selected
      ? await VoicemailMessage.query()
          .withScopes((s) => s.forOrganization(organization))
          .where('extension_id', selected.id)
          .whereNull('deleted_at')
          .orderBy('received_at', 'desc')
          .limit(50)
      : []
    const voicemail = new VoicemailMessages()
    return inertia.render('portal/phone', {
      voicemailBox: selected ? serializeVoicemailBox(await boxOf(selected)) : null,
      devices: selected ? await new RegisteredDevices().forExtension(organization, selected) : [],
      extensions: extensions.map((e) => ({ id: e.id, number: e.number, name: e.name })),
      extension: selected ? serializeExtension(selected) : null,
      sipDomain: organization.sipDomain,
      timezone: organization.timezone,
      messages: messages.map((m) => ({
        id: m.id,
        callerNumber: m.callerNumber,
        callerName: m.callerName,
        durationSeconds: m.durationSeconds,
        receivedAt: m.receivedAt.toISO(),
        read: m.readAt !== null,
        // Same-origin path: the page's CSP only lets media load from 'self'.
        audioUrl: new URL(voicemail.audioUrl(m).url).pathname,
      })),
    })
  }
}

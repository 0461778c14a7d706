import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import VoicemailBoxService from '#services/voicemail/voicemail_box_service'
import { boxOf } from '#services/voicemail/voicemail_box_lookup'
import { findExtension } from '#services/extensions/extension_lookup'
import { serializeVoicemailBox } from '#transformers/voicemail_transformer'
import { greetingValidator, updateVoicemailBoxValidator } from '#validators/voicemail'

/**
 * GET/PUT /extensions/:id/voicemail-box (the defaults until first saved) and
 * PUT /extensions/:id/voicemail-box/greeting (multipart `greeting`, a WAV ≤ 5 MB).
 */
@inject()
export default class VoicemailBoxController {
  constructor(protected boxes: VoicemailBoxService) {}

  async show({ params, organization, bouncer }: HttpContext) {
    const extension = await findExtension(organization, params.id)
    await bouncer.with(ExtensionPolicy).authorize('view', extension)
    return { data: serializeVoicemailBox(await boxOf(extension)) }
  }

  async update(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const input = await ctx.request.validateUsing(updateVoicemailBoxValidator)
    const box = await this.boxes.update(extension, input, AuditTrail.fromRequest(ctx))
    return { data: serializeVoicemailBox(box) }
  }

  async greeting(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const { greeting } = await ctx.request.validateUsing(greetingValidator)
    const box = await this.boxes.setGreeting(extension, greeting, AuditTrail.fromRequest(ctx))
    return { data: serializeVoicemailBox(box) }
  }
}

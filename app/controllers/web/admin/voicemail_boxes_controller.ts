import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import VoicemailBox from '#models/voicemail_box'
import AuditTrail from '#services/audit/audit_trail'
import VoicemailBoxService from '#services/voicemail/voicemail_box_service'
import { defaultBox } from '#services/voicemail/voicemail_box_lookup'
import { extensionsOf, findExtension } from '#services/extensions/extension_lookup'
import { listPage } from '#services/shared/listing'
import { paginated } from '#transformers/pagination'
import { serializeVoicemailBox } from '#transformers/voicemail_transformer'
import { greetingValidator, updateVoicemailBoxValidator } from '#validators/voicemail'
import { listExtensionsValidator } from '#validators/extension'
import { isManager } from '#auth/rules'
import { appAbilities, done } from '#controllers/web/admin/admin_page'

/**
 * The Voicemail boxes page: one box per user extension (the defaults until first saved).
 * Boxes are settings of their extension, so there is nothing to delete or restore here;
 * switching voicemail off is an edit of the extension.
 */
@inject()
export default class AdminVoicemailBoxesController {
  constructor(protected boxes: VoicemailBoxService) {}

  async index({ inertia, request, organization, bouncer, currentUser }: HttpContext) {
    await bouncer.with(ExtensionPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listExtensionsValidator, { data: request.qs() })
    const query = extensionsOf(organization)
      .where('type', 'user')
      .preload('user', (u) => u.whereNull('deleted_at'))
    const page = await listPage(
      query,
      { ...filters, trashed: undefined },
      {
        searchable: ['number', 'name'],
        defaultSort: 'number',
      },
    )
    /* One query for the page's boxes; extensions without a saved box show the defaults. */
    const saved = await VoicemailBox.query()
      .withScopes((s) => s.forOrganization(organization))
      .whereIn(
        'extension_id',
        page.all().map((e) => e.id),
      )
    const byExtension = new Map(saved.map((box) => [box.extensionId, box]))
    return inertia.render('voicemail_boxes/index', {
      rows: paginated(page, (extension) => ({
        id: extension.id,
        number: extension.number,
        name: extension.name,
        voicemailEnabled: extension.voicemailEnabled,
        user: extension.user ? { name: extension.user.name, email: extension.user.email } : null,
        box: serializeVoicemailBox(byExtension.get(extension.id) ?? defaultBox(extension)),
      })),
      filters: { search: filters.search ?? '', trashed: null },
      can: { ...appAbilities(), update: isManager(currentUser) },
    })
  }

  async update(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const input = await ctx.request.validateUsing(updateVoicemailBoxValidator)
    await this.boxes.update(extension, input, AuditTrail.fromRequest(ctx))
    return done(ctx, `Voicemail box of ${extension.number} saved.`)
  }

  /* Posted by XMLHttpRequest (upload progress): answered in JSON, toast on the reload. */
  async greeting(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('changeSettings', extension)
    const { greeting } = await ctx.request.validateUsing(greetingValidator)
    const box = await this.boxes.setGreeting(extension, greeting, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', `Greeting of ${extension.number} uploaded.`)
    return { data: serializeVoicemailBox(box) }
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionWriter from '#services/extensions/extension_writer'
import { extensionsOf } from '#services/extensions/extension_lookup'
import { listPage } from '#services/shared/listing'
import { serializeExtension } from '#transformers/extension_transformer'
import { createExtensionValidator, listExtensionsValidator } from '#validators/extension'
import { isManager } from '#auth/rules'
import { abilitiesOf, listProps } from '#controllers/web/admin/admin_page'
import { optionsFor } from '#controllers/web/admin/target_options'
import { flashCredentials } from '#controllers/web/admin/extensions_controller'

/**
 * The Extensions page of the admin console. Creating a user extension shows its SIP
 * password exactly once, through a flash message that only the next page load can read.
 */
@inject()
export default class WebExtensionsController {
  constructor(protected writer: ExtensionWriter) {}

  async index({ inertia, request, organization, bouncer, currentUser, session }: HttpContext) {
    await bouncer.with(ExtensionPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listExtensionsValidator, { data: request.qs() })
    const query = extensionsOf(organization).preload('user', (u) => u.whereNull('deleted_at'))
    const page = await listPage(query, filters, {
      searchable: ['number', 'name'],
      defaultSort: 'number',
    })
    const manager = isManager(currentUser)
    const users = manager
      ? await organization.related('users').query().whereNull('deleted_at').orderBy('name')
      : []
    const { rows, filters: used } = listProps(page, serializeExtension, filters)
    return inertia.render('extensions/index', {
      extensions: rows,
      filters: used,
      users: users.map((u) => ({ id: u.id, name: u.name, email: u.email })),
      canManage: manager,
      can: await abilitiesOf(bouncer, ExtensionPolicy, 'changeIdentity'),
      sipDomain: organization.sipDomain,
      options: manager
        ? await optionsFor(organization, ['ringGroups', 'ivrMenus', 'conferenceRooms'])
        : { ringGroups: [], ivrMenus: [], conferenceRooms: [] },
      newCredentials: session.flashMessages.get('sipCredentials') ?? null,
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(ExtensionPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createExtensionValidator, {
      meta: { organizationId: ctx.organization.id },
    })
    const { extension, sipPassword } = await this.writer.create(
      ctx.organization,
      input,
      AuditTrail.fromRequest(ctx),
    )
    if (sipPassword) flashCredentials(ctx, extension.number, extension.sipUsername, sipPassword)
    ctx.session.flash('success', `Extension ${extension.number} created.`)
    return ctx.response.redirect().back()
  }
}

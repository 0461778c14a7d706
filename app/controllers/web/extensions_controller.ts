import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionWriter from '#services/extensions/extension_writer'
import { extensionsOf } from '#services/extensions/extension_lookup'
import { serializeExtension } from '#transformers/extension_transformer'
import { paginated } from '#transformers/pagination'
import { likeTerm } from '#validators/helpers/listing'
import { createExtensionValidator, listExtensionsValidator } from '#validators/extension'
import { isManager } from '#auth/rules'

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
    const query = extensionsOf(organization)
      .preload('user', (u) => u.whereNull('deleted_at'))
      .whereNull('deleted_at')
    if (filters.search) {
      const term = likeTerm(filters.search)
      query.where((q) => q.whereILike('number', term).orWhereILike('name', term))
    }
    const page = await query
      .orderBy('number')
      .orderBy('id')
      .paginate(filters.page ?? 1, 25)
    const users = isManager(currentUser)
      ? await organization.related('users').query().whereNull('deleted_at').orderBy('name')
      : []
    return inertia.render('extensions/index', {
      extensions: paginated(page, serializeExtension),
      search: filters.search ?? '',
      users: users.map((u) => ({ id: u.id, name: u.name, email: u.email })),
      canManage: isManager(currentUser),
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
    if (sipPassword) {
      ctx.session.flash('sipCredentials', {
        number: extension.number,
        username: extension.sipUsername,
        password: sipPassword,
      })
    }
    ctx.session.flash('success', `Extension ${extension.number} created.`)
    return ctx.response.redirect().back()
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionWriter from '#services/extensions/extension_writer'
import ExtensionLifecycle from '#services/extensions/extension_lifecycle'
import { extensionsOf, findExtension } from '#services/extensions/extension_lookup'
import { serializeExtension } from '#transformers/extension_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { likeTerm } from '#validators/helpers/listing'
import {
  createExtensionValidator,
  listExtensionsValidator,
  updateExtensionValidator,
} from '#validators/extension'

/* What a PBX user may change on their own extension through PATCH (the rest is identity). */
const PERSONAL_FIELDS = new Set(['voicemailEnabled'])

@inject()
export default class ExtensionsController {
  constructor(
    protected writer: ExtensionWriter,
    protected lifecycle: ExtensionLifecycle,
  ) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(ExtensionPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listExtensionsValidator, { data: request.qs() })
    const [column, direction] = sortOrder(filters.sort, 'number')
    const query = extensionsOf(organization).preload('user', (u) => u.whereNull('deleted_at'))
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.type) query.where('type', filters.type)
    if (filters.status) query.where('status', filters.status)
    if (filters.userId) query.where('user_id', filters.userId)
    if (filters.search) {
      const term = likeTerm(filters.search)
      query.where((q) => q.whereILike('number', term).orWhereILike('name', term))
    }
    const page = await query
      .orderBy(column, direction)
      .orderBy('id')
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeExtension)
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
    await extension.load('user', (users) => users.whereNull('deleted_at'))
    return ctx.response.created({ data: { ...serializeExtension(extension), sipPassword } })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const extension = await findExtension(organization, params.id)
    await bouncer.with(ExtensionPolicy).authorize('view', extension)
    return { data: serializeExtension(extension) }
  }

  async update(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    const policy = ctx.bouncer.with(ExtensionPolicy)
    await policy.authorize('update', extension)
    const input = await ctx.request.validateUsing(updateExtensionValidator, {
      meta: {
        organizationId: ctx.organization.id,
        ignoreId: extension.id,
        currentType: extension.type,
      },
    })
    if (Object.keys(input).some((key) => !PERSONAL_FIELDS.has(key)))
      await policy.authorize('changeIdentity')
    const { sipPassword } = await this.writer.update(extension, input, AuditTrail.fromRequest(ctx))
    await extension.load('user', (users) => users.whereNull('deleted_at'))
    const data = serializeExtension(extension)
    return { data: sipPassword ? { ...data, sipPassword } : data }
  }

  async destroy(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('delete', extension)
    await this.lifecycle.delete(extension, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

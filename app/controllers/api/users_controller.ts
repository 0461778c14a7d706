import { idParam } from '#transformers/params'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import UserPolicy from '#policies/user_policy'
import { authorizeUserChanges } from '#services/users/authorize_user_changes'
import UserDirectory from '#services/users/user_directory'
import AuditTrail from '#services/audit/audit_trail'
import { serializeUser } from '#transformers/user_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { createUserValidator, listUsersValidator, updateUserValidator } from '#validators/user'

@inject()
export default class UsersController {
  constructor(protected directory: UserDirectory) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listUsersValidator, { data: request.qs() })
    const [column, direction] = sortOrder(filters.sort, 'name')
    const query = organization.related('users').query()
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.role) query.where('role', filters.role)
    if (filters.status) query.where('status', filters.status)
    if (filters.search) {
      const term = `%${filters.search.replace(/[\\%_]/g, '\\$&')}%`
      query.where((q) => q.whereILike('name', term).orWhereILike('email', term))
    }
    const page = await query
      .orderBy(column, direction)
      .orderBy('id')
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeUser)
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createUserValidator)
    await ctx.bouncer.with(UserPolicy).authorize('create', input.role)
    const user = await this.directory.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return ctx.response.created({ data: serializeUser(user) })
  }

  async show({ params, organization, bouncer }: HttpContext) {
    const user = await this.#find(organization, params.id)
    await bouncer.with(UserPolicy).authorize('view', user)
    return { data: serializeUser(user) }
  }

  async update(ctx: HttpContext) {
    const user = await this.#find(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(UserPolicy).authorize('update', user)
    const input = await ctx.request.validateUsing(updateUserValidator, {
      meta: { userId: user.id },
    })
    await authorizeUserChanges(ctx.bouncer, user, input)
    const updated = await this.directory.update(
      ctx.organization,
      user,
      input,
      AuditTrail.fromRequest(ctx),
    )
    return { data: serializeUser(updated) }
  }

  async destroy(ctx: HttpContext) {
    const user = await this.#find(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(UserPolicy).authorize('delete', user)
    await this.directory.delete(ctx.organization, user, AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }

  /** Tenant-rooted lookup: another organization's id is simply not found (404). */
  #find(organization: HttpContext['organization'], id: unknown) {
    return organization
      .related('users')
      .query()
      .where('id', idParam(id))
      .whereNull('deleted_at')
      .firstOrFail()
  }
}

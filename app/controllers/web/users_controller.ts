import { idParam } from '#transformers/params'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import UserPolicy from '#policies/user_policy'
import { authorizeUserChanges } from '#services/users/authorize_user_changes'
import UserDirectory from '#services/users/user_directory'
import AuditTrail from '#services/audit/audit_trail'
import { serializeUser } from '#transformers/user_transformer'
import { paginated } from '#transformers/pagination'
import { createUserValidator, listUsersValidator, updateUserValidator } from '#validators/user'
import { assignableRoles } from '#enums/roles'
import { managesUser } from '#auth/rules'

/** The Users page of the admin console; same policies and services as /api/v1/users. */
@inject()
export default class WebUsersController {
  constructor(protected directory: UserDirectory) {}

  async index({ inertia, request, organization, bouncer, currentUser }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listUsersValidator, { data: request.qs() })
    const query = organization.related('users').query().whereNull('deleted_at')
    if (filters.search) {
      const term = `%${filters.search.replace(/[\\%_]/g, '\\$&')}%`
      query.where((q) => q.whereILike('name', term).orWhereILike('email', term))
    }
    const page = await query
      .orderBy('name')
      .orderBy('id')
      .paginate(filters.page ?? 1, 25)
    return inertia.render('users/index', {
      users: paginated(page, (user) => ({
        ...serializeUser(user),
        // Lets the page offer role/remove controls only where the policy would allow them.
        manageable: user.id !== currentUser.id && managesUser(currentUser, user),
      })),
      search: filters.search ?? '',
      assignableRoles: [...assignableRoles(currentUser.role)],
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createUserValidator)
    await ctx.bouncer.with(UserPolicy).authorize('create', input.role)
    const user = await this.directory.create(ctx.organization, input, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', `${user.email} can now sign in.`)
    return ctx.response.redirect().back()
  }

  async update(ctx: HttpContext) {
    const user = await this.#find(ctx)
    await ctx.bouncer.with(UserPolicy).authorize('update', user)
    const input = await ctx.request.validateUsing(updateUserValidator, {
      meta: { userId: user.id },
    })
    await authorizeUserChanges(ctx.bouncer, user, input)
    await this.directory.update(ctx.organization, user, input, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', `${user.email} updated.`)
    return ctx.response.redirect().back()
  }

  async destroy(ctx: HttpContext) {
    const user = await this.#find(ctx)
    await ctx.bouncer.with(UserPolicy).authorize('delete', user)
    await this.directory.delete(ctx.organization, user, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', `${user.email} was removed.`)
    return ctx.response.redirect().back()
  }

  #find({ organization, params }: HttpContext) {
    return organization
      .related('users')
      .query()
      .where('id', idParam(params.id))
      .whereNull('deleted_at')
      .firstOrFail()
  }
}

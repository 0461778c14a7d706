import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import Organization from '#models/organization'
import User from '#models/user'
import ApiException from '#exceptions/api_exception'
import { readImpersonation, type Impersonation } from '#services/support/impersonation_session'

/**
 * Resolves the tenant once, at the boundary, from the authenticated user (who may be
 * impersonated by support staff), and refuses suspended organizations and inactive
 * accounts. Everything after this reads ctx.organization instead of guessing.
 */
export default class TenantMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.user
    if (!(user instanceof User))
      throw new ApiException(401, 'E_UNAUTHENTICATED', 'Authentication required')

    const organization = await Organization.query()
      .where('id', user.organizationId)
      .whereNull('deleted_at')
      .first()
    if (!organization || organization.status !== 'active') {
      return this.#refuse(
        ctx,
        'E_ORGANIZATION_SUSPENDED',
        'Your organization is suspended. Contact your provider to reactivate it.',
      )
    }
    if (!user.isActive) {
      return this.#refuse(
        ctx,
        'E_ACCOUNT_INACTIVE',
        'Your account is inactive. Ask an administrator of your organization to reactivate it.',
      )
    }

    ctx.organization = organization
    ctx.currentUser = user
    ctx.impersonation = ctx.session ? await readImpersonation(ctx) : undefined
    ctx.logger = ctx.logger.child({
      organizationId: organization.id,
      userId: user.id,
      ...(ctx.impersonation ? { impersonatorStaffId: ctx.impersonation.staffId } : {}),
    })
    if (ctx.impersonation) {
      ctx.logger.info(
        { method: ctx.request.method(), url: ctx.request.url() },
        'impersonated request',
      )
    }
    return next()
  }

  /** Web sessions are ended with a message on the login page; API callers get a 403. */
  async #refuse(ctx: HttpContext, code: string, message: string) {
    if (ctx.request.url().startsWith('/api/')) throw new ApiException(403, code, message)
    await ctx.auth.use('web').logout()
    ctx.session.flash('error', message)
    return ctx.response.redirect('/login')
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    organization: Organization
    currentUser: User
    impersonation?: Impersonation
  }
}

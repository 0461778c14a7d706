import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ApiException from '#exceptions/api_exception'

/**
 * Put on ownership- and billing-level routes (organization settings, credentials, API
 * tokens): support staff acting as a tenant user help with the PBX, never with these.
 */
export default class DenyWhileImpersonatingMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.impersonation) return next()
    const message = 'Not available while impersonating: ask the account owner to do this'
    if (ctx.request.url().startsWith('/api/')) {
      throw new ApiException(403, 'E_IMPERSONATION_FORBIDDEN', message)
    }
    ctx.session.flash('error', message)
    return ctx.response.redirect().back()
  }
}

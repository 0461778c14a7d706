import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ApiException from '#exceptions/api_exception'

/**
 * A user flagged with password_reset_required can do nothing but change the password
 * (and sign out) until they have. Routes that stay reachable carry this middleware's
 * opposite: they are simply registered outside the group that uses it.
 */
export default class PasswordResetMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.currentUser?.passwordResetRequired || ctx.impersonation) return next()
    if (ctx.request.url().startsWith('/api/')) {
      throw new ApiException(
        403,
        'E_PASSWORD_RESET_REQUIRED',
        'You must change your password before using the API: PUT /api/v1/profile/password',
      )
    }
    return ctx.response.redirect('/password/change')
  }
}

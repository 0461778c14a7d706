import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ApiException from '#exceptions/api_exception'

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * API tokens carry abilities: "read" tokens (reporting, dashboards) may only read,
 * "write" and "*" tokens may change things. Role checks still apply on top.
 */
export default class TokenAbilityMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const token = ctx.auth.use('api').user?.currentAccessToken
    if (!token || READ_METHODS.has(ctx.request.method())) return next()
    if (token.allows('*') || token.allows('write')) return next()
    throw new ApiException(
      403,
      'E_TOKEN_ABILITY',
      'This API token is read-only; create a token with the "write" ability',
    )
  }
}

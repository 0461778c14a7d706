import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'

/* Where an anonymous browser is sent, per guard; token (API) callers get a 401 instead. */
const LOGIN: Partial<Record<keyof Authenticators, string>> = {
  web: '/login',
  staff: '/support/login',
}

export default class AuthMiddleware {
  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {},
  ) {
    const guards = options.guards ?? [ctx.auth.defaultGuard]
    await ctx.auth.authenticateUsing(guards, { loginRoute: LOGIN[guards[0]] ?? '/login' })
    return next()
  }
}

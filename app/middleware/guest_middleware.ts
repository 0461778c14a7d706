import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'

/* Where an already signed-in visitor of a login page is sent, per guard. */
const HOME: Partial<Record<keyof Authenticators, string>> = { web: '/', staff: '/support' }

/** Keeps signed-in visitors away from login pages. */
export default class GuestMiddleware {
  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {},
  ) {
    for (const guard of options.guards || [ctx.auth.defaultGuard]) {
      if (await ctx.auth.use(guard).check()) {
        return ctx.response.redirect(HOME[guard] ?? '/', true)
      }
    }
    return next()
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Impersonation from '#services/support/impersonation'
import { startImpersonationValidator } from '#validators/support'

export default class ImpersonationsController {
  @inject()
  async store(ctx: HttpContext, impersonation: Impersonation) {
    const staff = ctx.auth.use('staff').getUserOrFail()
    const { userId, reason } = await ctx.request.validateUsing(startImpersonationValidator)
    await impersonation.start(ctx, staff, userId, reason)
    return ctx.response.redirect('/')
  }

  @inject()
  async destroy(ctx: HttpContext, impersonation: Impersonation) {
    const staff = ctx.auth.use('staff').getUserOrFail()
    await impersonation.stop(ctx, staff)
    return ctx.response.redirect('/support')
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import SignIn from '#services/auth/sign_in'
import AuditTrail from '#services/audit/audit_trail'
import { loginValidator } from '#validators/auth'

export default class SessionController {
  async create({ inertia }: HttpContext) {
    return inertia.render('auth/login', {})
  }

  @inject()
  async store(ctx: HttpContext, signIn: SignIn) {
    const { email, password, remember } = await ctx.request.validateUsing(loginValidator)
    const { user } = await signIn.handle(email, password, AuditTrail.fromRequest(ctx), 'web')
    await ctx.auth.use('web').login(user, !!remember)
    return ctx.response.redirect(user.passwordResetRequired ? '/password/change' : '/')
  }

  async destroy(ctx: HttpContext) {
    await ctx.auth.use('web').logout()
    ctx.session.flash('success', 'You have been signed out.')
    return ctx.response.redirect('/login')
  }
}

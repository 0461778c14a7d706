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
    const { user, organization } = await signIn.handle(email, password, ctx.request.ip())
    await ctx.auth.use('web').login(user, !!remember)
    await AuditTrail.record(
      { ...AuditTrail.fromRequest(ctx), organizationId: organization.id, actorUserId: user.id },
      {
        action: 'auth.signed_in',
        subjectType: 'user',
        subjectId: user.id,
        metadata: { via: 'web' },
      },
    )
    return ctx.response.redirect(user.passwordResetRequired ? '/password/change' : '/')
  }

  async destroy(ctx: HttpContext) {
    await ctx.auth.use('web').logout()
    ctx.session.flash('success', 'You have been signed out.')
    return ctx.response.redirect('/login')
  }
}

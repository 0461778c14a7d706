import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ChangePassword from '#services/auth/change_password'
import AuditTrail from '#services/audit/audit_trail'
import ApiException from '#exceptions/api_exception'
import { changePasswordValidator } from '#validators/auth'

export default class PasswordController {
  async edit({ inertia, currentUser }: HttpContext) {
    return inertia.render('auth/change_password', { required: currentUser.passwordResetRequired })
  }

  @inject()
  async update(ctx: HttpContext, changePassword: ChangePassword) {
    const user = ctx.currentUser
    const input = await ctx.request.validateUsing(changePasswordValidator, {
      meta: { email: user.email },
    })
    try {
      await changePassword.handle(user, input, AuditTrail.fromRequest(ctx))
    } catch (error) {
      if (!(error instanceof ApiException)) throw error
      ctx.session.flash('error', error.message)
      return ctx.response.redirect().back()
    }
    ctx.session.flash('success', 'Your password has been changed.')
    return ctx.response.redirect('/')
  }
}

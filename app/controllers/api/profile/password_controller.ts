import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ChangePassword from '#services/auth/change_password'
import AuditTrail from '#services/audit/audit_trail'
import { changePasswordValidator } from '#validators/auth'

export default class ProfilePasswordController {
  @inject()
  async update(ctx: HttpContext, changePassword: ChangePassword) {
    const user = ctx.currentUser
    const input = await ctx.request.validateUsing(changePasswordValidator, {
      meta: { email: user.email },
    })
    await changePassword.handle(user, input, AuditTrail.fromRequest(ctx))
    return { data: { message: 'Password changed. Your API tokens were revoked: sign in again.' } }
  }
}

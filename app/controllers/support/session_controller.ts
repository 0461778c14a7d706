import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import StaffUser from '#models/staff_user'
import ApiException from '#exceptions/api_exception'
import { staffLoginValidator } from '#validators/support'

export default class SupportSessionController {
  async create({ inertia }: HttpContext) {
    return inertia.render('support/login', {})
  }

  async store(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(staffLoginValidator)
    const lockout = limiter.use({
      requests: 5,
      duration: '15 minutes',
      blockDuration: '15 minutes',
    })
    const [throttled, staff] = await lockout.penalize(`staff_signin_${email.toLowerCase()}`, () =>
      StaffUser.verifyCredentials(email.toLowerCase(), password),
    )
    if (throttled)
      throw new ApiException(
        423,
        'E_ACCOUNT_LOCKED',
        'Too many failed sign-in attempts. Try again in 15 minutes.',
      )
    if (staff.status !== 'active')
      throw new ApiException(403, 'E_ACCOUNT_INACTIVE', 'This staff account is inactive')
    staff.lastLoginAt = DateTime.now()
    await staff.save()
    await ctx.auth.use('staff').login(staff)
    return ctx.response.redirect('/support')
  }

  async destroy(ctx: HttpContext) {
    if (ctx.session.get('impersonation')) await ctx.auth.use('web').logout()
    ctx.session.forget('impersonation')
    await ctx.auth.use('staff').logout()
    return ctx.response.redirect('/support/login')
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import PasswordReset, { RESET_TOKEN_MINUTES } from '#services/auth/password_reset'
import AuditTrail from '#services/audit/audit_trail'
import { strongPassword } from '#validators/rules/password'

const forgotValidator = vine.create({ email: vine.string().trim().email().maxLength(254) })

/* meta.email: the account's address, which the new password must not contain. */
const resetValidator = vine.withMetaData<{ email: string }>().compile(
  vine.object({
    password: strongPassword().confirmed({ confirmationField: 'passwordConfirmation' }),
  }),
)

const SENT =
  'If an account uses that address, we have sent it a link to choose a new password. ' +
  `The link works once, for ${RESET_TOKEN_MINUTES} minutes.`
const INVALID = 'This reset link is invalid, expired or already used. Ask for a new one.'

/** Forgot / reset password pages (guests only). */
@inject()
export default class PasswordResetController {
  constructor(protected resets: PasswordReset) {}

  async create({ inertia }: HttpContext) {
    return inertia.render('auth/forgot_password', {})
  }

  async store(ctx: HttpContext) {
    const { email } = await ctx.request.validateUsing(forgotValidator)
    await this.resets.request(email, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', SENT)
    return ctx.response.redirect().toPath('/password/forgot')
  }

  async edit(ctx: HttpContext) {
    const user = await this.#tokenOwner(ctx)
    if (!user) return this.#invalid(ctx)
    return ctx.inertia.render('auth/reset_password', {
      email: user.email,
      // The form posts back to this exact (signed) URL.
      action: ctx.request.url(true),
    })
  }

  async update(ctx: HttpContext) {
    const user = await this.#tokenOwner(ctx)
    if (!user) return this.#invalid(ctx)
    const { password } = await ctx.request.validateUsing(resetValidator, {
      meta: { email: user.email },
    })
    const changed = await this.resets.reset(ctx.params.token, password, AuditTrail.fromRequest(ctx))
    if (!changed) return this.#invalid(ctx)
    ctx.session.flash('success', 'Your password has been reset. Sign in with the new one.')
    return ctx.response.redirect().toPath('/login')
  }

  /* The signature (expiry, tampering) is checked before the token is looked up. */
  async #tokenOwner(ctx: HttpContext) {
    if (!ctx.request.hasValidSignature('password-reset')) return null
    return this.resets.findUser(ctx.params.token)
  }

  #invalid(ctx: HttpContext) {
    ctx.session.flash('error', INVALID)
    return ctx.response.redirect().toPath('/password/forgot')
  }
}

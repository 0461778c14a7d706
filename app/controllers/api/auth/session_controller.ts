import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import SignIn from '#services/auth/sign_in'
import AuditTrail from '#services/audit/audit_trail'
import { serializeUser } from '#transformers/user_transformer'
import { apiLoginValidator } from '#validators/auth'

/* A token issued by signing in with a password lives one day; long-lived integration
 * tokens are created explicitly through /api/v1/auth/tokens. */
const LOGIN_TOKEN_TTL = '1 day'

export default class ApiSessionController {
  @inject()
  async store(ctx: HttpContext, signIn: SignIn) {
    const { email, password, tokenName } = await ctx.request.validateUsing(apiLoginValidator)
    const { user } = await signIn.handle(email, password, AuditTrail.fromRequest(ctx), 'api')
    const token = await User.accessTokens.create(user, ['*'], {
      name: tokenName ?? 'api-login',
      expiresIn: LOGIN_TOKEN_TTL,
    })
    return ctx.response.created({
      data: {
        tokenType: 'Bearer',
        token: token.value!.release(),
        expiresAt: token.expiresAt?.toISOString() ?? null,
        user: serializeUser(user),
        passwordResetRequired: user.passwordResetRequired,
      },
    })
  }

  async show({ currentUser, organization }: HttpContext) {
    return {
      data: {
        user: serializeUser(currentUser),
        organization: {
          id: organization.id,
          name: organization.name,
          slug: organization.slug,
          status: organization.status,
          timezone: organization.timezone,
        },
      },
    }
  }

  /** Signing out of the API revokes the token used for this request. */
  async destroy({ auth, response }: HttpContext) {
    const user = auth.use('api').getUserOrFail()
    await User.accessTokens.delete(user, user.currentAccessToken.identifier)
    return response.noContent()
  }
}

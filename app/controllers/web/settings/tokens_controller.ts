import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import AuditTrail from '#services/audit/audit_trail'
import ApiTokens, { DEFAULT_TOKEN_DAYS, serializeToken } from '#services/auth/api_tokens'
import { idParam } from '#transformers/params'
import { createTokenValidator, TOKEN_ABILITIES } from '#validators/auth'

/** The signed-in user's own API tokens, as in /api/v1/auth/tokens. */
@inject()
export default class TokensController {
  constructor(protected tokens: ApiTokens) {}

  async index({ inertia, currentUser, session }: HttpContext) {
    const tokens = await this.tokens.list(currentUser)
    return inertia.render('settings/tokens', {
      tokens: tokens.map(serializeToken),
      abilities: TOKEN_ABILITIES,
      defaultDays: DEFAULT_TOKEN_DAYS,
      newToken: (session.flashMessages.get('newToken') as string | undefined) ?? null,
    })
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createTokenValidator)
    const { value } = await this.tokens.create(ctx.currentUser, input, AuditTrail.fromRequest(ctx))
    ctx.session.flash('newToken', value)
    ctx.session.flash(
      'success',
      `Token "${input.name}" created. Copy it now: it is shown only once.`,
    )
    return ctx.response.redirect().toPath('/settings/tokens')
  }

  async destroy(ctx: HttpContext) {
    await this.tokens.revoke(ctx.currentUser, idParam(ctx.params.id), AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'Token revoked.')
    return ctx.response.redirect().toPath('/settings/tokens')
  }
}

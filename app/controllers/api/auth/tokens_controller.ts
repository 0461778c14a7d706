import { inject } from '@adonisjs/core'
import { idParam } from '#transformers/params'
import type { HttpContext } from '@adonisjs/core/http'
import AuditTrail from '#services/audit/audit_trail'
import ApiTokens, { serializeToken } from '#services/auth/api_tokens'
import { createTokenValidator } from '#validators/auth'

/** A user's own API tokens. Nobody lists or revokes someone else's. */
@inject()
export default class TokensController {
  constructor(protected tokens: ApiTokens) {}

  async index({ currentUser }: HttpContext) {
    const tokens = await this.tokens.list(currentUser)
    return { data: tokens.map(serializeToken) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createTokenValidator)
    const { token, value } = await this.tokens.create(
      ctx.currentUser,
      input,
      AuditTrail.fromRequest(ctx),
    )
    return ctx.response.created({
      data: {
        id: Number(token.identifier),
        name: token.name,
        abilities: token.abilities,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        token: value,
      },
      meta: { notice: 'The token is shown only once: store it now.' },
    })
  }

  async destroy(ctx: HttpContext) {
    await this.tokens.revoke(ctx.currentUser, idParam(ctx.params.id), AuditTrail.fromRequest(ctx))
    return ctx.response.noContent()
  }
}

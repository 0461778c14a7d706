import { idParam } from '#transformers/params'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import AuditTrail from '#services/audit/audit_trail'
import ApiException from '#exceptions/api_exception'
import { createTokenValidator } from '#validators/auth'

/** A user's own API tokens. Nobody lists or revokes someone else's. */
export default class TokensController {
  async index({ currentUser }: HttpContext) {
    const tokens = await User.accessTokens.all(currentUser)
    return {
      data: tokens.map((token) => ({
        id: Number(token.identifier),
        name: token.name,
        abilities: token.abilities,
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        createdAt: token.createdAt.toISOString(),
      })),
    }
  }

  async store(ctx: HttpContext) {
    const { name, abilities, expiresInDays } = await ctx.request.validateUsing(createTokenValidator)
    const token = await User.accessTokens.create(ctx.currentUser, abilities ?? ['*'], {
      name,
      expiresIn: `${expiresInDays ?? 90} days`,
    })
    await AuditTrail.recordForRequest(ctx, {
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: String(token.identifier),
      after: {
        name,
        abilities: token.abilities,
        expiresAt: token.expiresAt?.toISOString() ?? null,
      },
    })
    return ctx.response.created({
      data: {
        id: Number(token.identifier),
        name: token.name,
        abilities: token.abilities,
        expiresAt: token.expiresAt?.toISOString() ?? null,
        token: token.value!.release(),
      },
      meta: { notice: 'The token is shown only once: store it now.' },
    })
  }

  async destroy(ctx: HttpContext) {
    const id = idParam(ctx.params.id)
    const token = id ? await User.accessTokens.find(ctx.currentUser, id) : null
    if (!token) throw ApiException.notFound('Token')
    await User.accessTokens.delete(ctx.currentUser, id)
    await AuditTrail.recordForRequest(ctx, {
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: id,
    })
    return ctx.response.noContent()
  }
}

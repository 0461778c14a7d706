import type { AccessToken } from '@adonisjs/auth/access_tokens'
import User from '#models/user'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

export const DEFAULT_TOKEN_DAYS = 90

export function serializeToken(token: AccessToken) {
  return {
    id: Number(token.identifier),
    name: token.name,
    abilities: token.abilities,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    createdAt: token.createdAt.toISOString(),
  }
}

/**
 * A user's own API tokens (the API's /auth/tokens and the web token page). Nobody lists
 * or revokes someone else's; creating and revoking are audited.
 */
export default class ApiTokens {
  list(user: User) {
    return User.accessTokens.all(user)
  }

  /** The clear value is returned here once and never stored. */
  async create(
    user: User,
    input: { name: string; abilities?: string[]; expiresInDays?: number },
    actor: Actor,
  ) {
    const token = await User.accessTokens.create(user, input.abilities ?? ['*'], {
      name: input.name,
      expiresIn: `${input.expiresInDays ?? DEFAULT_TOKEN_DAYS} days`,
    })
    await AuditTrail.record(actor, {
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: String(token.identifier),
      after: {
        name: input.name,
        abilities: token.abilities,
        expiresAt: token.expiresAt?.toISOString() ?? null,
      },
    })
    return { token, value: token.value!.release() }
  }

  async revoke(user: User, id: number | null, actor: Actor) {
    const token = id ? await User.accessTokens.find(user, id) : null
    if (!token || !id) throw ApiException.notFound('Token')
    await User.accessTokens.delete(user, id)
    await AuditTrail.record(actor, {
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: id,
    })
  }
}

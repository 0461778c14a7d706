import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import type { DbAccessTokensProviderOptions } from '@adonisjs/auth/types/access_tokens'

/*
 * The stock provider writes `last_used_at` on every authenticated request: under API load
 * that is one committed UPDATE (a WAL flush) per request, the costliest statement of the
 * hot path, for a figure shown to the minute. Here the token is still read and checked on
 * every request (revocation, expiry and abilities apply at once, on every instance); only
 * the bookkeeping write is skipped while the stored value is less than a minute old.
 */
const LAST_USED_PRECISION_MS = 60_000

export class ApiAccessTokensProvider<
  TokenableModel extends LucidModel,
> extends DbAccessTokensProvider<TokenableModel> {
  static forModel<TokenableModel extends LucidModel>(
    model: DbAccessTokensProviderOptions<TokenableModel>['tokenableModel'],
    options?: Omit<DbAccessTokensProviderOptions<TokenableModel>, 'tokenableModel'>,
  ) {
    return new ApiAccessTokensProvider<TokenableModel>({ tokenableModel: model, ...options })
  }

  async verify(tokenValue: Secret<string>) {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const db = await this.getDb()
    const row = await db
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .limit(1)
      .first()
    if (!row) return null

    const token = this.dbRowToAccessToken(row)
    // Checked before any write: an unknown secret must not touch the row.
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const now = new Date()
    const lastUsed = token.lastUsedAt?.getTime() ?? 0
    if (now.getTime() - lastUsed >= LAST_USED_PRECISION_MS) {
      await db.from(this.table).where({ id: row.id, type: row.type }).update({ last_used_at: now })
      token.lastUsedAt = now
    }
    return token
  }
}

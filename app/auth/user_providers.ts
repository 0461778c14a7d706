import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import type User from '#models/user'

/*
 * The stock Lucid providers look users up with Model.find(id), which the tenant guard
 * rejects (no organization yet: resolving it is the point). These providers make that
 * one boundary lookup explicit and skip soft-deleted users.
 */

/*
 * Imported lazily: this module is loaded with config/auth.ts, before the app has booted.
 * Imported once: under a loader (ts-exec in development and the reliability runs) every
 * import() call goes through the resolve hook, which was ~8 % of the API's CPU.
 */
let userModel: Promise<typeof import('#models/user')> | null = null

async function findUserById(id: string | number | bigint) {
  userModel ??= import('#models/user')
  const { default: User } = await userModel
  return User.platformQuery('authenticate session or token')
    .where('id', Number(id))
    .whereNull('deleted_at')
    .first()
}

export class WebUserProvider extends SessionLucidUserProvider<typeof User> {
  async findById(identifier: string | number | bigint) {
    const user = await findUserById(identifier)
    return user ? this.createUserForGuard(user) : null
  }
}

export class ApiUserProvider extends AccessTokensLucidUserProvider<'accessTokens', typeof User> {
  async findById(identifier: string | number | bigint) {
    const user = await findUserById(identifier)
    return user ? this.createUserForGuard(user) : null
  }
}

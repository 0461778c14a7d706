import { idParam } from '#transformers/params'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import UserPolicy from '#policies/user_policy'
import UserDirectory from '#services/users/user_directory'
import AuditTrail from '#services/audit/audit_trail'
import { serializeUser } from '#transformers/user_transformer'

/** POST /users/:id/restore: undoes a soft delete. */
export default class UserRestoreController {
  @inject()
  async store(ctx: HttpContext, directory: UserDirectory) {
    const user = await ctx.organization
      .related('users')
      .query()
      .where('id', idParam(ctx.params.id))
      .whereNotNull('deleted_at')
      .firstOrFail()
    await ctx.bouncer.with(UserPolicy).authorize('delete', user)
    const restored = await directory.restore(user, AuditTrail.fromRequest(ctx))
    return { data: serializeUser(restored) }
  }
}

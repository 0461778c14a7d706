import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import UserPolicy from '#policies/user_policy'
import UpdateProfile from '#services/profile/update_profile'
import AuditTrail from '#services/audit/audit_trail'
import { serializeUser } from '#transformers/user_transformer'
import { updateProfileValidator } from '#validators/profile'

/** The signed-in user's own record; role and status are not editable here. */
export default class ProfileController {
  async show({ currentUser, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('view', currentUser)
    return { data: serializeUser(currentUser) }
  }

  @inject()
  async update(ctx: HttpContext, updateProfile: UpdateProfile) {
    const user = ctx.currentUser
    await ctx.bouncer.with(UserPolicy).authorize('update', user)
    const input = await ctx.request.validateUsing(updateProfileValidator, {
      meta: { userId: user.id },
    })
    const updated = await updateProfile.handle(user, input, AuditTrail.fromRequest(ctx))
    return { data: serializeUser(updated) }
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import UserPolicy from '#policies/user_policy'
import type { Role, UserStatus } from '#enums/roles'

/**
 * After the edit itself is authorized, a role change and a status change are separate
 * permissions. The API and the web console both ask them through here.
 */
export async function authorizeUserChanges(
  bouncer: HttpContext['bouncer'],
  user: User,
  input: { role?: Role; status?: UserStatus },
) {
  const policy = bouncer.with(UserPolicy)
  if (input.role !== undefined && input.role !== user.role) {
    await policy.authorize('assignRole', user, input.role)
  }
  if (input.status !== undefined && input.status !== user.status) {
    await policy.authorize('changeStatus', user)
  }
}

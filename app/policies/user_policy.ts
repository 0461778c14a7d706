import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { assignableRoles, type Role } from '#enums/roles'
import { canAssignRole, canDeleteUser, isManager, managesUser } from '#auth/rules'

@inject()
export default class UserPolicy extends BasePolicy {
  constructor(protected ctx: HttpContext) {
    super()
  }

  viewAny(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  view(actor: User, target: User): AuthorizerResponse {
    return actor.id === target.id || isManager(actor)
  }

  create(actor: User, role: Role): AuthorizerResponse {
    if (!isManager(actor) || !assignableRoles(actor.role).includes(role)) return false
    return this.#ownershipGuard(role === 'owner')
  }

  /** Everyone may edit their own profile fields; managing others follows the matrix. */
  update(actor: User, target: User): AuthorizerResponse {
    return actor.id === target.id || managesUser(actor, target)
  }

  assignRole(actor: User, target: User, role: Role): AuthorizerResponse {
    if (!canAssignRole(actor, target, role)) return false
    return this.#ownershipGuard(role === 'owner' || target.role === 'owner')
  }

  changeStatus(actor: User, target: User): AuthorizerResponse {
    return actor.id !== target.id && managesUser(actor, target)
  }

  delete(actor: User, target: User): AuthorizerResponse {
    if (!canDeleteUser(actor, target)) return false
    return this.#ownershipGuard(target.role === 'owner')
  }

  /** Ownership changes are off limits to support staff acting as a tenant user. */
  #ownershipGuard(touchesOwnership: boolean): AuthorizerResponse {
    if (touchesOwnership && this.ctx.impersonation) {
      return AuthorizationResponse.deny(
        'Support staff cannot change ownership while impersonating',
        403,
      )
    }
    return true
  }
}

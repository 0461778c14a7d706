import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Organization from '#models/organization'
import { isOwner } from '#auth/rules'

@inject()
export default class OrganizationPolicy extends BasePolicy {
  constructor(protected ctx: HttpContext) {
    super()
  }

  view(actor: User, organization: Organization): AuthorizerResponse {
    return actor.organizationId === organization.id
  }

  /** Name, timezone and other ownership-level settings: owners only, never via support. */
  update(actor: User, organization: Organization): AuthorizerResponse {
    if (actor.organizationId !== organization.id || !isOwner(actor)) return false
    if (this.ctx.impersonation) {
      return AuthorizationResponse.deny(
        'Support staff cannot change organization settings while impersonating',
        403,
      )
    }
    return true
  }
}

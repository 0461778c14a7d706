import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import { AuthorizationResponse, BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { isManager, isOwner } from '#auth/rules'

/**
 * PBX settings and webhook secrets. PBX admins may read them (keys are masked); changing
 * them is ownership-level, because the Cloudonix key and the signing secrets decide who
 * can act for the tenant on the execution plane. Support staff never change them.
 */
@inject()
export default class OrganizationSettingsPolicy extends BasePolicy {
  constructor(protected ctx: HttpContext) {
    super()
  }

  view(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  update(actor: User): AuthorizerResponse {
    return this.#ownerOnly(actor)
  }

  /* An admin who stopped a fraud must be able to restore calling without waiting for the owner. */
  liftOutboundSuspension(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  viewWebhookSecrets(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  manageWebhookSecrets(actor: User): AuthorizerResponse {
    return this.#ownerOnly(actor)
  }

  #ownerOnly(actor: User): AuthorizerResponse {
    if (!isOwner(actor)) return false
    if (this.ctx.impersonation) {
      return AuthorizationResponse.deny(
        'Support staff cannot change PBX settings or secrets while impersonating',
        403,
      )
    }
    return true
  }
}

import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { isManager } from '#auth/rules'

/**
 * Live calls show who is talking to whom right now and let the caller cut or move them:
 * owners and PBX admins only (reporters see history, not live calls).
 */
export default class CallControlPolicy extends BasePolicy {
  viewAny(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  hangup(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  transfer(actor: User): AuthorizerResponse {
    return isManager(actor)
  }
}

import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'

/**
 * Call history (call logs and CDRs) is read-only. Owners, PBX admins and reporters see
 * the whole organization's; PBX users see only calls of extensions assigned to them, a
 * restriction applied to the query itself (CallHistory), so a call outside it is a 404.
 */
export default class CallLogPolicy extends BasePolicy {
  viewAny(_actor: User): AuthorizerResponse {
    return true
  }

  view(_actor: User): AuthorizerResponse {
    return true
  }

  export(_actor: User): AuthorizerResponse {
    return true
  }
}

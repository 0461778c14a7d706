import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { isManager } from '#auth/rules'

/**
 * The default matrix for PBX configuration (extensions, numbers, ring groups, IVRs,
 * trunks, …): every member of the organization may read it, owners and PBX admins change
 * it. Resource policies extend this and override only where the matrix differs (e.g. a
 * PBX user editing their own extension). Rows reach a policy already scoped to the
 * caller's organization, so these methods decide on role only.
 */
export abstract class PbxResourcePolicy extends BasePolicy {
  viewAny(_actor: User): AuthorizerResponse {
    return true
  }

  view(_actor: User, _row: unknown): AuthorizerResponse {
    return true
  }

  create(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  update(actor: User, _row: unknown): AuthorizerResponse {
    return isManager(actor)
  }

  delete(actor: User, _row: unknown): AuthorizerResponse {
    return isManager(actor)
  }

  restore(actor: User, _row: unknown): AuthorizerResponse {
    return isManager(actor)
  }
}

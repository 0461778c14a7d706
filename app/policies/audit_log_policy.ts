import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { isManager } from '#auth/rules'

/** The audit trail shows who changed what across the PBX: owners and PBX admins. */
export default class AuditLogPolicy extends BasePolicy {
  viewAny(actor: User): AuthorizerResponse {
    return isManager(actor)
  }
}

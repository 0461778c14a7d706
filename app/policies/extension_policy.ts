import type User from '#models/user'
import type Extension from '#models/extension'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { PbxResourcePolicy } from '#auth/pbx_resource_policy'
import { isManager } from '#auth/rules'

const ownExtension = (actor: User, extension: Extension) =>
  actor.role === 'pbx_user' && extension.belongsToUser(actor.id)

/**
 * Everyone in the organization reads extensions; owners and PBX admins manage them. A PBX
 * user additionally runs their own extension's personal settings (DND, forwarding,
 * follow-me, voicemail) but never its identity (type, number, user, status).
 */
export default class ExtensionPolicy extends PbxResourcePolicy {
  /** Entry check for PATCH: what may be changed is then narrowed by `changeIdentity`. */
  update(actor: User, extension: Extension): AuthorizerResponse {
    return isManager(actor) || ownExtension(actor, extension)
  }

  changeIdentity(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  changeSettings(actor: User, extension: Extension): AuthorizerResponse {
    return isManager(actor) || ownExtension(actor, extension)
  }

  rotateSipPassword(actor: User): AuthorizerResponse {
    return isManager(actor)
  }

  /* Voicemail is personal: reporters (reports and call history only) do not hear it. */
  accessVoicemail(actor: User, extension: Extension): AuthorizerResponse {
    return isManager(actor) || ownExtension(actor, extension)
  }
}

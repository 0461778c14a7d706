import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import SipCredentials from '#services/extensions/sip_credentials'
import { findExtension } from '#services/extensions/extension_lookup'

/** POST /extensions/:id/sip-password: a new SIP password, shown in this response only. */
export default class SipPasswordController {
  @inject()
  async store(ctx: HttpContext, credentials: SipCredentials) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('rotateSipPassword')
    const sipPassword = await credentials.rotate(extension, AuditTrail.fromRequest(ctx))
    return { data: { id: extension.id, sipUsername: extension.sipUsername, sipPassword } }
  }
}

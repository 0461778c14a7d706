import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import AuditTrail from '#services/audit/audit_trail'
import ExtensionWriter from '#services/extensions/extension_writer'
import ExtensionLifecycle from '#services/extensions/extension_lifecycle'
import SipCredentials from '#services/extensions/sip_credentials'
import { findExtension } from '#services/extensions/extension_lookup'
import { updateExtensionValidator } from '#validators/extension'
import { done } from '#controllers/web/admin/admin_page'

/**
 * Edit, delete, restore and SIP password rotation on the Extensions page (listing and
 * creation live in WebExtensionsController). Same services and policies as /api/v1.
 */
@inject()
export default class AdminExtensionsController {
  constructor(
    protected writer: ExtensionWriter,
    protected lifecycle: ExtensionLifecycle,
  ) {}

  async update(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    const policy = ctx.bouncer.with(ExtensionPolicy)
    await policy.authorize('update', extension)
    await policy.authorize('changeIdentity')
    const input = await ctx.request.validateUsing(updateExtensionValidator, {
      meta: {
        organizationId: ctx.organization.id,
        ignoreId: extension.id,
        currentType: extension.type,
      },
    })
    const { sipPassword } = await this.writer.update(extension, input, AuditTrail.fromRequest(ctx))
    if (sipPassword) flashCredentials(ctx, extension.number, extension.sipUsername, sipPassword)
    return done(ctx, `Extension ${extension.number} saved.`)
  }

  async destroy(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('delete', extension)
    await this.lifecycle.delete(extension, AuditTrail.fromRequest(ctx))
    return done(ctx, `Extension ${extension.number} deleted. You can restore it from "Deleted".`)
  }

  async restore(ctx: HttpContext) {
    const extension = await findExtension(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(ExtensionPolicy).authorize('restore', extension)
    await this.lifecycle.restore(extension, AuditTrail.fromRequest(ctx))
    return done(ctx, `Extension ${extension.number} restored.`)
  }

  @inject()
  async rotate(ctx: HttpContext, credentials: SipCredentials) {
    const extension = await findExtension(ctx.organization, ctx.params.id)
    await ctx.bouncer.with(ExtensionPolicy).authorize('rotateSipPassword')
    const password = await credentials.rotate(extension, AuditTrail.fromRequest(ctx))
    flashCredentials(ctx, extension.number, extension.sipUsername, password)
    return done(ctx, `New SIP password for ${extension.number}: the old one no longer works.`)
  }
}

/* Read once by the next page load, then gone: the password is never stored in clear. */
export function flashCredentials(
  ctx: HttpContext,
  number: string,
  username: string | null,
  password: string,
) {
  ctx.session.flash('sipCredentials', { number, username, password })
}

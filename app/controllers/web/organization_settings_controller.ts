import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OrganizationPolicy from '#policies/organization_policy'
import UpdateOrganization from '#services/organizations/update_organization'
import AuditTrail from '#services/audit/audit_trail'
import { serializeOrganization } from '#transformers/organization_transformer'
import { updateOrganizationValidator } from '#validators/organization'

export default class OrganizationSettingsController {
  async edit({ inertia, organization, bouncer }: HttpContext) {
    await bouncer.with(OrganizationPolicy).authorize('view', organization)
    return inertia.render('settings/organization', {
      settings: serializeOrganization(organization),
      timezones: Intl.supportedValuesOf('timeZone'),
    })
  }

  @inject()
  async update(ctx: HttpContext, updateOrganization: UpdateOrganization) {
    await ctx.bouncer.with(OrganizationPolicy).authorize('update', ctx.organization)
    const input = await ctx.request.validateUsing(updateOrganizationValidator)
    await updateOrganization.handle(ctx.organization, input, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'Organization settings saved.')
    return ctx.response.redirect().back()
  }
}

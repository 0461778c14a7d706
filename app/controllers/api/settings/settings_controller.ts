import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OrganizationSettingsPolicy from '#policies/organization_settings_policy'
import OrganizationSettingsService from '#services/settings/organization_settings_service'
import AuditTrail from '#services/audit/audit_trail'
import { serializeSettings } from '#transformers/settings_transformer'
import { updateSettingsValidator } from '#validators/settings'

/** The caller's organization's PBX settings (a singleton: no id, no delete). */
@inject()
export default class SettingsController {
  constructor(protected service: OrganizationSettingsService) {}

  async show({ organization, bouncer }: HttpContext) {
    await bouncer.with(OrganizationSettingsPolicy).authorize('view')
    return { data: serializeSettings(await this.service.forOrganization(organization)) }
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('update')
    const input = await ctx.request.validateUsing(updateSettingsValidator)
    const settings = await this.service.update(ctx.organization, input, AuditTrail.fromRequest(ctx))
    return { data: serializeSettings(settings) }
  }
}

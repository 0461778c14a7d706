import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OrganizationPolicy from '#policies/organization_policy'
import UpdateOrganization from '#services/organizations/update_organization'
import AuditTrail from '#services/audit/audit_trail'
import { serializeOrganization } from '#transformers/organization_transformer'
import { updateOrganizationValidator } from '#validators/organization'

/** The caller's own organization (there is no way to address another one). */
export default class OrganizationController {
  async show({ organization, bouncer }: HttpContext) {
    await bouncer.with(OrganizationPolicy).authorize('view', organization)
    return { data: serializeOrganization(organization) }
  }

  @inject()
  async update(ctx: HttpContext, updateOrganization: UpdateOrganization) {
    await ctx.bouncer.with(OrganizationPolicy).authorize('update', ctx.organization)
    const input = await ctx.request.validateUsing(updateOrganizationValidator)
    const organization = await updateOrganization.handle(
      ctx.organization,
      input,
      AuditTrail.fromRequest(ctx),
    )
    return { data: serializeOrganization(organization) }
  }
}

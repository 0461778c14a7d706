import type { HttpContext } from '@adonisjs/core/http'
import OrganizationSettingsPolicy from '#policies/organization_settings_policy'
import AuditTrail from '#services/audit/audit_trail'
import { liftOutboundSuspension } from '#services/fraud/toll_fraud_guard'
import { outboundSuspensionOf, type OutboundSuspension } from '#services/fraud/outbound_suspension'

const serialize = (suspension: OutboundSuspension | null) => ({
  suspended: suspension !== null,
  since: suspension?.since ?? null,
  reason: suspension?.reason ?? null,
})

/** The caller's organization's toll-fraud suspension (a singleton: no id). */
export default class OutboundSuspensionController {
  async show({ organization, bouncer }: HttpContext) {
    await bouncer.with(OrganizationSettingsPolicy).authorize('view')
    return { data: serialize(await outboundSuspensionOf(organization.id)) }
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('liftOutboundSuspension')
    await liftOutboundSuspension(ctx.organization.id, AuditTrail.fromRequest(ctx))
    return { data: serialize(await outboundSuspensionOf(ctx.organization.id)) }
  }
}

import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OutboundRulePolicy from '#policies/outbound_rule_policy'
import AuditTrail from '#services/audit/audit_trail'
import OutboundRuleDirectory from '#services/trunks/outbound_rule_directory'
import { serializeOutboundRule } from '#transformers/trunk_transformer'
import { findOutboundRule } from '#controllers/api/outbound_rules_controller'

/** POST /outbound-rules/:id/restore: undoes a soft delete. */
export default class OutboundRuleRestoreController {
  @inject()
  async store(ctx: HttpContext, directory: OutboundRuleDirectory) {
    const rule = await findOutboundRule(ctx.organization, ctx.params.id, true)
    await ctx.bouncer.with(OutboundRulePolicy).authorize('restore', rule)
    const restored = await directory.restore(rule, AuditTrail.fromRequest(ctx))
    return { data: serializeOutboundRule(restored) }
  }
}

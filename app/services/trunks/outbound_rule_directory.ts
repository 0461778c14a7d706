import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Organization from '#models/organization'
import OutboundRule from '#models/outbound_rule'
import { serializeOutboundRule } from '#transformers/trunk_transformer'
import type {
  createOutboundRuleValidator,
  updateOutboundRuleValidator,
} from '#validators/outbound_rule'
import {
  assertFreeToRestore,
  audit,
  restoreRow,
  softDelete,
  uniquely,
  type Actor,
} from '#services/shared/audited_rows'

type CreateInput = Infer<typeof createOutboundRuleValidator>
type UpdateInput = Infer<typeof updateOutboundRuleValidator>

/** Writes to the organization's allow/deny prefix rules, each change audited. */
export default class OutboundRuleDirectory {
  async create(organization: Organization, input: CreateInput, actor: Actor) {
    return uniquely('outbound rule', () =>
      db.transaction(async (trx) => {
        const rule = await OutboundRule.create(
          { description: null, ...input, organizationId: organization.id },
          { client: trx },
        )
        const after = serializeOutboundRule(rule)
        await audit(actor, 'outbound_rule', 'created', rule.id, { after }, trx)
        return rule
      }),
    )
  }

  async update(rule: OutboundRule, input: UpdateInput, actor: Actor) {
    const before = serializeOutboundRule(rule)
    return uniquely('outbound rule', () =>
      db.transaction(async (trx) => {
        rule.useTransaction(trx)
        rule.merge(input)
        await rule.save()
        const after = serializeOutboundRule(rule)
        await audit(actor, 'outbound_rule', 'updated', rule.id, { before, after }, trx)
        return rule
      }),
    )
  }

  delete(rule: OutboundRule, actor: Actor) {
    return softDelete(rule, 'outbound_rule', serializeOutboundRule(rule), actor)
  }

  restore(rule: OutboundRule, actor: Actor) {
    return restoreRow(rule, 'outbound_rule', serializeOutboundRule, actor, (trx) => {
      const { organizationId, prefix } = rule
      const target = { table: 'outbound_rules', organizationId, column: 'prefix', value: prefix }
      return assertFreeToRestore(trx, target, 'outbound rule')
    })
  }
}

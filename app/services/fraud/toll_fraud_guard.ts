import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import AuditTrail from '#services/audit/audit_trail'
import queueService from '#services/queue/queue_service'
import TollFraudAlertJob from '#jobs/toll_fraud_alert_job'
import {
  DEFAULT_DENIED_PREFIXES,
  internationalForm,
  normaliseNumber,
} from '#services/trunks/outbound_policy'
import { addToWindow, resetWindows } from '#services/fraud/velocity_counters'
import { DAY_BY_15_MINUTES, HOUR_BY_MINUTE, exceeds } from '#services/fraud/velocity_window'
import { tollFraudSuspensions } from '#services/fraud/fraud_metrics'
import { outboundSuspensionOf } from '#services/fraud/outbound_suspension'

export { outboundSuspensionOf }

export type FraudRule = {
  enabled: boolean
  maxInternationalCallsPerHour: number
  maxBillableMinutesPerDay: number
  domesticPrefix: string | null
}

export const DEFAULT_FRAUD_RULE: FraudRule = {
  enabled: true,
  maxInternationalCallsPerHour: 30,
  maxBillableMinutesPerDay: 600,
  domesticPrefix: null,
}

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/** The tenant's rule as stored (the column defaults when its settings row does not exist yet). */
export async function fraudRuleOf(organizationId: number): Promise<FraudRule> {
  const row = await db
    .from('organization_settings')
    .where('organization_id', organizationId)
    .select(
      'fraud_guard_enabled',
      'fraud_max_international_calls_per_hour',
      'fraud_max_billable_minutes_per_day',
      'fraud_domestic_prefix',
    )
    .first()
  if (!row) return DEFAULT_FRAUD_RULE
  return {
    enabled: row.fraud_guard_enabled,
    maxInternationalCallsPerHour: row.fraud_max_international_calls_per_hour,
    maxBillableMinutesPerDay: row.fraud_max_billable_minutes_per_day,
    domesticPrefix: row.fraud_domestic_prefix,
  }
}

/**
 * International: an E.164 (or 00-prefixed) number outside the tenant's domestic prefix;
 * with no domestic prefix set every E.164 number counts. Premium ranges always count,
 * even inside the domestic prefix (+1900 is "domestic" for a +1 tenant).
 */
export function isInternationalOrPremium(raw: string, domesticPrefix: string | null) {
  const number = normaliseNumber(raw)
  const e164 = number ? internationalForm(number) : null
  if (!e164) return false
  if (DEFAULT_DENIED_PREFIXES.some((prefix) => e164.startsWith(prefix))) return true
  return !domesticPrefix || !e164.startsWith(domesticPrefix)
}

/**
 * Counts one outbound call the app's routing is about to let out. Returns true when this
 * call takes the tenant past its hourly international/premium limit: the tenant is then
 * suspended and this call must be refused as well.
 */
export async function recordOutboundCall(organizationId: number, number: string) {
  const rule = await fraudRuleOf(organizationId)
  if (!rule.enabled || !isInternationalOrPremium(number, rule.domesticPrefix)) return false
  const total = await addToWindow(organizationId, 'international_calls', 1, HOUR_BY_MINUTE)
  if (!exceeds(total, rule.maxInternationalCallsPerHour)) return false
  await suspendOutbound(
    organizationId,
    `more than ${rule.maxInternationalCallsPerHour} international/premium calls in an hour`,
    { rule: 'international_calls_per_hour', limit: rule.maxInternationalCallsPerHour, total },
  )
  return true
}

type CdrFacts = { from?: string | null; to?: string | null; billsec: number }

/**
 * Adds an answered outbound call's billable seconds to the tenant's 24-hour window. Run
 * once per stored CDR (redeliveries never get here), so the minutes are counted once.
 * Outbound: placed by one of the tenant's extensions to a number that is not one.
 */
export async function recordOutboundCdr(organizationId: number, cdr: CdrFacts) {
  if (cdr.billsec <= 0 || !cdr.from || !cdr.to) return false
  const rule = await fraudRuleOf(organizationId)
  if (!rule.enabled || !normaliseNumber(cdr.to)) return false
  const extensions = await db
    .from('extensions')
    .where('organization_id', organizationId)
    .whereNull('deleted_at')
    .whereIn('number', [cdr.from, cdr.to])
    .select('number')
  const numbers = new Set(extensions.map((row) => row.number))
  if (!numbers.has(cdr.from) || numbers.has(cdr.to)) return false
  const seconds = await addToWindow(
    organizationId,
    'billable_seconds',
    cdr.billsec,
    DAY_BY_15_MINUTES,
  )
  if (!exceeds(seconds, rule.maxBillableMinutesPerDay * 60)) return false
  await suspendOutbound(
    organizationId,
    `more than ${rule.maxBillableMinutesPerDay} billable outbound minutes in 24 hours`,
    {
      rule: 'billable_minutes_per_day',
      limit: rule.maxBillableMinutesPerDay,
      total: Math.round(seconds / 60),
    },
  )
  return true
}

/**
 * Suspends the tenant's outbound calling once (a concurrent second trigger finds it set
 * and does nothing), audits it as a system action, and raises the alert: a warn log, the
 * metric, and an email to the owners through the queue.
 */
export async function suspendOutbound(
  organizationId: number,
  reason: string,
  details: Record<string, unknown>,
) {
  const suspended = await db.transaction(async (trx) => {
    const now = DateTime.now()
    const rows = await trx
      .from('organizations')
      .where('id', organizationId)
      .whereNull('outbound_suspended_at')
      .update({
        outbound_suspended_at: now.toJSDate(),
        outbound_suspension_reason: reason,
        updated_at: now.toJSDate(),
      })
      .returning('id')
    if (rows.length === 0) return false
    await AuditTrail.record(
      {
        organizationId,
        actorUserId: null,
        impersonatorStaffId: null,
        ip: null,
        userAgent: null,
        requestId: null,
      },
      {
        action: 'organization.outbound_suspended',
        subjectType: 'organization',
        subjectId: organizationId,
        after: { outboundSuspendedAt: now.toUTC().toISO(), reason },
        metadata: details,
      },
      trx,
    )
    return true
  })
  if (!suspended) return false
  tollFraudSuspensions.inc()
  logger.warn({ organizationId, reason, ...details }, 'toll-fraud guard suspended outbound calling')
  await queueService
    .dispatch(TollFraudAlertJob, { organizationId, reason })
    .catch((error) => logger.error({ err: error, organizationId }, 'toll-fraud alert not queued'))
  return true
}

/** Lifts the suspension (audited with the acting user) and starts the windows afresh. */
export async function liftOutboundSuspension(organizationId: number, actor: Actor) {
  const before = await outboundSuspensionOf(organizationId)
  if (!before) return false
  const lifted = await db.transaction(async (trx) => {
    const rows = await trx
      .from('organizations')
      .where('id', organizationId)
      .whereNotNull('outbound_suspended_at')
      .update({
        outbound_suspended_at: null,
        outbound_suspension_reason: null,
        updated_at: new Date(),
      })
      .returning('id')
    if (rows.length === 0) return false
    await AuditTrail.record(
      actor,
      {
        action: 'organization.outbound_suspension_lifted',
        subjectType: 'organization',
        subjectId: organizationId,
        before,
        after: { outboundSuspendedAt: null },
      },
      trx,
    )
    return true
  })
  if (lifted) await resetWindows(organizationId)
  return lifted
}

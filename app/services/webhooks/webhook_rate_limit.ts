import limiter from '@adonisjs/limiter/services/main'
import env from '#start/env'
import type OrganizationSetting from '#models/organization_setting'

/*
 * Request budgets of the execution plane, per minute and source IP: 100 on /api/webhooks
 * and 1,000 on /api/voice by default (WEBHOOK_RATE_LIMIT, VOICE_RATE_LIMIT; one media edge
 * sends every call of the platform from one address), or the tenant's own figures in its
 * settings. Requests that name no known tenant share the default budget of their IP. Spent
 * before the credential is checked, so wrong guesses count too. Over budget: 429 with
 * Retry-After (the limiter's ThrottleException).
 */

export type Budget = 'webhooks' | 'voice'

export function budgetOf(path: string): Budget {
  return path.startsWith('/api/voice/') ? 'voice' : 'webhooks'
}

function defaultLimit(budget: Budget) {
  return budget === 'voice' ? env.get('VOICE_RATE_LIMIT', 1000) : env.get('WEBHOOK_RATE_LIMIT', 100)
}

export function tenantLimit(budget: Budget, settings: OrganizationSetting | null) {
  const own = budget === 'voice' ? settings?.voiceRateLimit : settings?.webhookRateLimit
  return own ?? defaultLimit(budget)
}

/**
 * The per-IP ceiling, whatever tenant a request claims (floods, made-up tenants): 2,000 a
 * minute on webhooks, 20,000 on voice (WEBHOOK_IP_CEILING, VOICE_IP_CEILING). One
 * consume, without the HTTP throttle's extra read: this runs on every routing decision.
 */
export async function spendCeiling(budget: Budget, ip: string) {
  const requests =
    budget === 'voice' ? env.get('VOICE_IP_CEILING', 20_000) : env.get('WEBHOOK_IP_CEILING', 2000)
  await limiter.use({ requests, duration: '1 minute' }).consume(`${budget}_ceiling_ip_${ip}`)
}

export async function spendBudget(
  budget: Budget,
  ip: string,
  tenant: { organizationId: number; settings: OrganizationSetting } | null,
) {
  const requests = tenantLimit(budget, tenant?.settings ?? null)
  const who = tenant ? `org_${tenant.organizationId}` : 'unknown'
  await limiter.use({ requests, duration: '1 minute' }).consume(`${budget}_${who}_ip_${ip}`)
}

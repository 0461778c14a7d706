import { createHash, timingSafeEqual } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'
import ApiException from '#exceptions/api_exception'
import type { RoutableNumber } from '#services/phone_numbers/routable_number'
import { verifyEdgeSignature } from '#services/webhooks/edge_signature'
import { verifyOpbxSignature } from '#services/webhooks/opbx_signature'
import { routingSecrets, routingSettings } from '#services/voice/routing_reads'
import { organizationGeneration, type Generation } from '#services/voice/routing_cache'
import { budgetOf, spendBudget, spendCeiling } from '#services/webhooks/webhook_rate_limit'
import { resolveWebhookTenant, webhookBody } from '#services/webhooks/webhook_tenant'
import { webhookOutcomes } from '#services/metrics/registry'

/**
 * Authenticates a webhook from Cloudonix or our voip-edge and sets `ctx.organization`.
 *
 * Usage (routes): `.use([middleware.webhookAuth(), middleware.webhookIdempotency()])` in
 * that order; handlers then read `ctx.organization` and `ctx.webhookAuth`.
 *
 * 0. Rate limits (webhook_rate_limit.ts): a per-IP ceiling first, then the budget per
 *    tenant and source IP, spent once the tenant is known and before its credential is
 *    checked; requests naming no known tenant share their IP's default budget.
 *
 * 1. Tenant: X-Cx-Domain / body `domain`, `Domain`, `AccountSid`, `owner.domain.uuid`
 *    (organizations.sip_domain or the Cloudonix domain in the settings), else the called
 *    number. Unknown, or naming two tenants, or an inbound call to another tenant's DID → 404.
 * 2. X-Edge-Signature present → contract §6.2 HMAC against the shared
 *    VOIP_EDGE_SIGNING_SECRET and the tenant's active secrets (two during rotation).
 *    Otherwise, for a tenant in `cloudonix` mode: `X-Cloudonix-Signature` (OPBX-compatible
 *    senders: hex HMAC of the raw body with an active tenant secret, and
 *    `X-Cloudonix-Timestamp` within ±300 s), else `Authorization: Bearer <an active
 *    secret>`. A tenant in `edge` mode always needs the edge signature.
 * 3. Nothing to verify against → 500 E_WEBHOOK_NOT_CONFIGURED (fail closed); a missing or
 *    wrong credential → 401 E_WEBHOOK_SIGNATURE_INVALID.
 * Development only: WEBHOOK_AUTH_BYPASS=true skips step 2 (see bypassAllowed), with a
 * warning logged on every request.
 */
export default class WebhookAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const endpoint = ctx.route?.pattern ?? ctx.request.url()
    const refuse = (status: number, code: string, message: string, log: object) => {
      webhookOutcomes.inc({
        endpoint,
        outcome: code === 'E_NOT_FOUND' ? 'unknown_tenant' : 'rejected',
      })
      // Security log: who and why, never the credential or the body.
      ctx.logger.warn({ ip: ctx.request.ip(), endpoint, ...log }, 'webhook refused')
      return new ApiException(status, code, message)
    }

    // GET voice applications send their fields in the query string (contract §1.1).
    const parsed = ctx.request.body()
    const body = Array.isArray(parsed) ? webhookBody(parsed) : { ...ctx.request.qs(), ...parsed }
    const budget = budgetOf(ctx.request.url())
    const signature = ctx.request.header('x-edge-signature')
    const signed = {
      timestamp: ctx.request.header('x-edge-timestamp'),
      requestId: ctx.request.header('x-edge-request-id'),
      signature,
      method: ctx.request.method(),
      pathAndQuery: ctx.request.url(true),
      rawBody: ctx.request.raw() ?? '',
    }
    const edgeSecret = env.get('VOIP_EDGE_SIGNING_SECRET')?.release()
    /*
     * Our own voip-edge sends every tenant's routing requests, session updates and CDRs from
     * one address: four to six requests per call. Metered like a caller from the Internet,
     * the per-IP ceiling would refuse the whole platform at a few calls a second, and the
     * tenant's webhook budget would drop the records of calls routing already admitted.
     * Proven by the platform secret, only its routing requests spend the tenant's voice
     * budget (call admissions, which the tenant may tune).
     */
    const edgeCheck = signature && edgeSecret ? verifyEdgeSignature(signed, [edgeSecret]) : null
    const fromOurEdge = edgeCheck?.ok === true
    const metered = !fromOurEdge || budget === 'voice'
    // The IP ceiling is spent while the tenant is resolved (one round trip saved per call).
    const ceiling = fromOurEdge ? Promise.resolve() : spendCeiling(budget, ctx.request.ip())
    ceiling.catch(() => {})
    const tenant = await resolveWebhookTenant(ctx.request.header('x-cx-domain'), body)
    await ceiling
    if (!tenant.ok) {
      if (metered) await spendBudget(budget, ctx.request.ip(), null)
      throw refuse(404, 'E_NOT_FOUND', 'Unknown tenant', { reason: tenant.reason })
    }
    const organization = tenant.organization
    const log = { organizationId: organization.id }

    // Secrets, mode and routing data are read through the routing cache of this generation.
    const scope = { organization, generation: await organizationGeneration(organization.id) }
    // Issued in one tick so auto-pipelining sends both cache reads in one round trip.
    const [settings, tenantSecrets] = await Promise.all([
      routingSettings(scope),
      routingSecrets(scope),
    ])
    if (metered)
      await spendBudget(budget, ctx.request.ip(), { organizationId: organization.id, settings })
    let method: WebhookAuthMethod
    if (authBypassed()) {
      // Loud on purpose, every time: a bypass left on must be noticed.
      ctx.logger.warn(
        { ip: ctx.request.ip(), endpoint, organizationId: organization.id },
        'webhook authentication BYPASSED (WEBHOOK_AUTH_BYPASS, never in production)',
      )
      method = 'bypass'
    } else if (fromOurEdge) {
      method = 'edge'
    } else if (signature) {
      // The platform secret was tried above: only the tenant's own are left to try.
      const result =
        tenantSecrets.length > 0 ? verifyEdgeSignature(signed, tenantSecrets) : edgeCheck
      if (!result) {
        throw refuse(500, 'E_WEBHOOK_NOT_CONFIGURED', 'No webhook secret configured', log)
      }
      if (!result.ok) {
        throw refuse(401, 'E_WEBHOOK_SIGNATURE_INVALID', `Webhook signature ${result.reason}`, {
          ...log,
          reason: result.reason,
        })
      }
      method = 'edge'
    } else {
      const mode = settings.tenantMode ?? 'cloudonix'
      if (mode === 'edge') {
        throw refuse(401, 'E_WEBHOOK_SIGNATURE_INVALID', 'Webhook signature missing', {
          ...log,
          reason: 'edge_mode_requires_signature',
        })
      }
      if (tenantSecrets.length === 0) {
        throw refuse(500, 'E_WEBHOOK_NOT_CONFIGURED', 'No webhook secret configured', log)
      }
      const opbxSignature = ctx.request.header('x-cloudonix-signature')
      if (opbxSignature) {
        const result = verifyOpbxSignature(
          {
            signature: opbxSignature,
            timestamp: ctx.request.header('x-cloudonix-timestamp'),
            rawBody: ctx.request.raw() ?? '',
          },
          tenantSecrets,
        )
        if (!result.ok) {
          throw refuse(401, 'E_WEBHOOK_SIGNATURE_INVALID', `Webhook signature ${result.reason}`, {
            ...log,
            reason: `opbx_${result.reason}`,
          })
        }
        method = 'opbx'
      } else {
        const bearer = /^Bearer\s+(.+)$/i.exec(ctx.request.header('authorization') ?? '')?.[1]
        if (!bearer || !matchesAny(bearer.trim(), tenantSecrets)) {
          throw refuse(401, 'E_WEBHOOK_SIGNATURE_INVALID', 'Webhook bearer token invalid', {
            ...log,
            reason: bearer ? 'invalid' : 'missing',
          })
        }
        method = 'bearer'
      }
    }

    ctx.organization = organization
    ctx.webhookAuth = {
      method,
      generation: scope.generation,
      calledNumber: tenant.calledNumber,
      did: tenant.did,
    }
    ctx.logger = ctx.logger.child({ organizationId: organization.id })
    webhookOutcomes.inc({ endpoint, outcome: 'verified' })
    return next()
  }
}

/* Digests first, so the comparison is constant-time whatever the token's length. */
function matchesAny(token: string, secrets: string[]) {
  const offered = createHash('sha256').update(token).digest()
  let matched = false
  for (const secret of secrets) {
    if (timingSafeEqual(offered, createHash('sha256').update(secret).digest())) matched = true
  }
  return matched
}

/* edge: contract §6.2 signature; opbx: X-Cloudonix-Signature; bearer: Cloudonix mode. */
export type WebhookAuthMethod = 'edge' | 'opbx' | 'bearer' | 'bypass'

/**
 * The development bypass: only with WEBHOOK_AUTH_BYPASS=true, and never when NODE_ENV is
 * production, whatever the variable says. The tenant is still resolved and budgeted.
 */
export function bypassAllowed(nodeEnv: string, flag: boolean | undefined) {
  return flag === true && nodeEnv !== 'production'
}

function authBypassed() {
  return bypassAllowed(env.get('NODE_ENV'), env.get('WEBHOOK_AUTH_BYPASS'))
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    webhookAuth?: {
      method: WebhookAuthMethod
      /* Passed down so routing neither re-reads the generation nor re-resolves the DID. */
      generation: Generation
      calledNumber: string | null
      did: RoutableNumber | null
    }
  }
}

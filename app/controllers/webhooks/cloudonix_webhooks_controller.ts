import type { HttpContext } from '@adonisjs/core/http'
import { cdrValidator, sessionUpdateValidator } from '#services/webhooks/payloads'
import { webhookBody } from '#services/webhooks/webhook_tenant'
import { ingestSessionUpdate } from '#services/webhooks/session_update_ingest'
import { ingestCdr } from '#services/webhooks/cdr_ingest'
import type { RoutableNumber } from '#services/phone_numbers/routable_number'

/*
 * The called number's DID as the webhook middleware resolved it (no second lookup), when
 * it is this tenant's: it names the call's DID and routing target on an inbound leg.
 */
function ownDid(ctx: HttpContext): RoutableNumber | null {
  const did = ctx.webhookAuth?.did
  return did && did.organizationId === ctx.organization.id ? did : null
}

/**
 * Cloudonix-shaped events (contract §3.2, §3.3), from real Cloudonix or our voip-edge.
 * Authenticated and deduplicated by the webhook middleware before they get here.
 */
export default class CloudonixWebhooksController {
  /** Always 200 once valid, even for statuses we do not track: a 4xx would be retried. */
  async sessionUpdate(ctx: HttpContext) {
    const { request, organization, logger } = ctx
    const update = await sessionUpdateValidator.validate(webhookBody(request.body()))
    await ingestSessionUpdate(organization.id, update, logger, ownDid(ctx))
    return { ok: true }
  }

  async cdr(ctx: HttpContext) {
    const { request, organization, logger } = ctx
    const raw = webhookBody(request.body())
    const cdr = await cdrValidator.validate(raw)
    const result = await ingestCdr(organization.id, cdr, raw, logger, ownDid(ctx))
    return { ok: true, stored: result.stored }
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import { cdrValidator, sessionUpdateValidator } from '#services/webhooks/payloads'
import { webhookBody } from '#services/webhooks/webhook_tenant'
import { ingestSessionUpdate } from '#services/webhooks/session_update_ingest'
import { ingestCdr } from '#services/webhooks/cdr_ingest'

/**
 * Cloudonix-shaped events (contract §3.2, §3.3), from real Cloudonix or our voip-edge.
 * Authenticated and deduplicated by the webhook middleware before they get here.
 */
export default class CloudonixWebhooksController {
  /** Always 200 once valid, even for statuses we do not track: a 4xx would be retried. */
  async sessionUpdate({ request, organization, logger }: HttpContext) {
    const update = await sessionUpdateValidator.validate(webhookBody(request.body()))
    await ingestSessionUpdate(organization.id, update, logger)
    return { ok: true }
  }

  async cdr({ request, organization, logger }: HttpContext) {
    const raw = webhookBody(request.body())
    const cdr = await cdrValidator.validate(raw)
    const result = await ingestCdr(organization.id, cdr, raw, logger)
    return { ok: true, stored: result.stored }
  }
}

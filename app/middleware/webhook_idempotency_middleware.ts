import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ApiException from '#exceptions/api_exception'
import { claim, complete, release, type StoredResponse } from '#services/webhooks/idempotency'
import { webhookBody } from '#services/webhooks/webhook_tenant'
import { webhookOutcomes } from '#services/metrics/registry'

/**
 * Replay protection and retry idempotency for webhooks. Apply AFTER webhookAuth (it needs
 * `ctx.organization`): `.use([middleware.webhookAuth(), middleware.webhookIdempotency()])`.
 *
 * Key: `X-Edge-Request-Id`, else body `eventId` (session updates), else `session.token`
 * (CDRs); scoped per organization and per kind of key. A request without any key passes
 * through untouched (a Cloudonix voice request has none, and must not be deduped).
 * - completed duplicate → the stored status, content type and body, no side effects;
 * - the same key still being handled → 409 E_DUPLICATE_IN_FLIGHT;
 * - the same key with a different body → 422 E_IDEMPOTENCY_KEY_REUSED;
 * - the handler failed (4xx/5xx) → the claim is released so the sender's retry runs.
 * If Redis is down the request is handled anyway: the database unique constraints are the
 * backstop for the writes that matter (call logs, CDRs).
 */
export default class WebhookIdempotencyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const key = idempotencyKey(ctx)
    if (!key) return next()
    const scope = `webhook:${ctx.organization.id}:${key.kind}`
    const endpoint = ctx.route?.pattern ?? ctx.request.url()
    const rawBody = ctx.request.raw() ?? ''

    let outcome
    try {
      outcome = await claim(scope, key.id, rawBody)
    } catch (error) {
      ctx.logger.error({ err: error, endpoint }, 'idempotency store unavailable; not deduping')
      return next()
    }

    if (outcome.outcome === 'completed') {
      webhookOutcomes.inc({ endpoint, outcome: 'duplicate' })
      const { status, contentType, body } = outcome.response
      return ctx.response
        .status(status)
        .header('content-type', contentType)
        .send(body ?? '')
    }
    if (outcome.outcome === 'in_flight') {
      webhookOutcomes.inc({ endpoint, outcome: 'in_flight' })
      throw new ApiException(409, 'E_DUPLICATE_IN_FLIGHT', 'This request is already in progress')
    }
    if (outcome.outcome === 'body_mismatch') {
      webhookOutcomes.inc({ endpoint, outcome: 'key_reused' })
      ctx.logger.warn(
        { ip: ctx.request.ip(), endpoint },
        'idempotency key reused with another body',
      )
      throw new ApiException(
        422,
        'E_IDEMPOTENCY_KEY_REUSED',
        'This request id was already used with a different body',
      )
    }

    try {
      await next()
    } catch (error) {
      await release(scope, key.id).catch(() => {})
      throw error
    }
    // Route errors are rendered by the error handler before next() resolves, so a failure
    // shows here as an error status, not as a throw: only successes are replayed.
    const response = storedResponse(ctx)
    if (response.status >= 400) await release(scope, key.id).catch(() => {})
    else {
      // An unrecorded answer must not leave the key "in flight" for a day.
      await complete(scope, key.id, rawBody, response).catch(() =>
        release(scope, key.id).catch(() => {}),
      )
    }
  }
}

function idempotencyKey(ctx: HttpContext): { kind: string; id: string } | null {
  const requestId = ctx.request.header('x-edge-request-id')
  if (requestId) return { kind: 'request', id: requestId }
  const body = webhookBody(ctx.request.body())
  if (typeof body.eventId === 'string' && body.eventId) return { kind: 'event', id: body.eventId }
  const session = body.session as Record<string, unknown> | undefined
  if (session && typeof session.token === 'string' && session.token) {
    return { kind: 'session', id: session.token }
  }
  return null
}

function storedResponse(ctx: HttpContext): StoredResponse {
  const body = ctx.response.getBody()
  const header = ctx.response.getHeader('content-type')
  const isText = typeof body === 'string' || Buffer.isBuffer(body)
  const contentType = header
    ? String(header)
    : isText
      ? 'text/plain; charset=utf-8'
      : 'application/json; charset=utf-8'
  let text: string | null
  if (body === undefined || body === null) text = ''
  else if (isText) text = body.toString()
  else text = JSON.stringify(body)
  return { status: ctx.response.getStatus(), contentType, body: text }
}

import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'
import ApiException from '#exceptions/api_exception'
import { verifyEdgeSignature } from '#services/webhooks/edge_signature'

/**
 * Requests from our own voip-edge (credential lookups, and later routing and events) must
 * carry the X-Edge-* signature made with VOIP_EDGE_SIGNING_SECRET. Without a configured
 * secret the endpoints fail closed (500), they never fall back to trusting the caller.
 */
export default class EdgeSignatureMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')?.release()
    if (!secret) {
      throw new ApiException(
        500,
        'E_WEBHOOK_NOT_CONFIGURED',
        'VOIP_EDGE_SIGNING_SECRET is not configured',
      )
    }
    const url = ctx.request.url(true)
    const result = verifyEdgeSignature(
      {
        timestamp: ctx.request.header('x-edge-timestamp'),
        requestId: ctx.request.header('x-edge-request-id'),
        signature: ctx.request.header('x-edge-signature'),
        method: ctx.request.method(),
        pathAndQuery: url,
        rawBody: ctx.request.raw() ?? '',
      },
      [secret],
    )
    if (!result.ok) {
      ctx.logger.warn(
        { ip: ctx.request.ip(), reason: result.reason, path: ctx.request.url() },
        'edge signature rejected',
      )
      throw new ApiException(
        401,
        'E_WEBHOOK_SIGNATURE_INVALID',
        `Edge request signature ${result.reason}`,
      )
    }
    return next()
  }
}

import { timingSafeEqual } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import env from '#start/env'
import ApiException from '#exceptions/api_exception'
import { registry } from '#services/metrics/registry'
// Registers the toll-fraud metrics even before any outbound call has loaded the guard.
import '#services/fraud/fraud_metrics'

function tokenMatches(given: string, expected: string) {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * GET /metrics for Prometheus. With METRICS_TOKEN set, scrapers must send it as a bearer
 * token; without it, only loopback callers are served (bind a scraper on the same host or
 * set the token).
 */
export default class MetricsController {
  async show({ request, response }: HttpContext) {
    const token = env.get('METRICS_TOKEN')
    const bearer = request.header('authorization')?.replace(/^Bearer\s+/i, '') ?? ''
    const allowed = token
      ? tokenMatches(bearer, token)
      : ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip())
    if (!allowed)
      throw new ApiException(
        401,
        'E_UNAUTHENTICATED',
        'Metrics need the METRICS_TOKEN bearer token',
      )
    response.header('content-type', registry.contentType)
    return registry.metrics()
  }
}

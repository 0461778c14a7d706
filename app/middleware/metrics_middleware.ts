import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { httpRequestDuration } from '#services/metrics/registry'

/**
 * Times every request. The label is the route pattern (`/api/v1/users/:id`), never the raw
 * URL, so ids cannot explode the number of series; unmatched requests share one label.
 */
export default class MetricsMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const end = httpRequestDuration.startTimer()
    try {
      await next()
    } finally {
      end({
        route: ctx.route?.pattern ?? 'unmatched',
        method: ctx.request.method(),
        status: String(ctx.response.getStatus()),
      })
    }
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'
import ApiException from '#exceptions/api_exception'
import { overloadShed } from '#services/metrics/registry'
import {
  EventLoopDelaySampler,
  classify,
  shedReason,
  type OverloadLimits,
} from '#services/overload/overload_guard'

/*
 * Off by default under NODE_ENV=test: the test suite runs on a box shared by many
 * processes, where event-loop delay says nothing about this app. Tests that exercise the
 * guard start the app with the variables set.
 */
const testing = env.get('NODE_ENV') === 'test'
const limits: OverloadLimits = {
  maxInFlight: env.get('OVERLOAD_MAX_IN_FLIGHT') ?? (testing ? 0 : 64),
  maxEventLoopDelayMs: env.get('OVERLOAD_MAX_EVENT_LOOP_DELAY_MS') ?? (testing ? 0 : 150),
  priorityFactor: env.get('OVERLOAD_PRIORITY_FACTOR') ?? 4,
  retryAfterSeconds: env.get('OVERLOAD_RETRY_AFTER_SECONDS') ?? 2,
}

const sampler = new EventLoopDelaySampler()
if (limits.maxEventLoopDelayMs > 0) sampler.start()

let inFlight = 0

export function requestsInFlight() {
  return inFlight
}

/**
 * Runs right after the request id (so a refusal carries one) and before anything that
 * costs: no body parsing, session, auth or database work is spent on a request we refuse.
 */
export default class OverloadMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const routeClass = classify(ctx.request.url())
    if (routeClass === 'exempt') return next()
    const reason = shedReason(routeClass, inFlight, sampler.currentMs, limits)
    if (reason) {
      overloadShed.inc({ reason, class: routeClass })
      throw new ApiException(
        503,
        'E_OVERLOADED',
        'The server is overloaded; retry after the delay in Retry-After',
        { headers: { 'Retry-After': String(limits.retryAfterSeconds) } },
      )
    }
    inFlight += 1
    try {
      return await next()
    } finally {
      inFlight -= 1
    }
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'
import type { ErrorEnvelope } from '#exceptions/handler'
import { overloadShed } from '#services/metrics/registry'
import {
  AdaptiveConcurrency,
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
  maxEventLoopDelayMs: env.get('OVERLOAD_MAX_EVENT_LOOP_DELAY_MS') ?? (testing ? 0 : 300),
  priorityFactor: env.get('OVERLOAD_PRIORITY_FACTOR') ?? 4,
  retryAfterSeconds: env.get('OVERLOAD_RETRY_AFTER_SECONDS') ?? 2,
}

/* The in-flight cap moves between a floor and OVERLOAD_MAX_IN_FLIGHT to keep admitted
 * requests near OVERLOAD_TARGET_LATENCY_MS (0 = fixed cap). */
const adaptive = new AdaptiveConcurrency({
  max: limits.maxInFlight,
  min: Math.min(limits.maxInFlight, env.get('OVERLOAD_MIN_IN_FLIGHT') ?? 16),
  targetMs: env.get('OVERLOAD_TARGET_LATENCY_MS') ?? 250,
})
if (limits.maxInFlight > 0) setInterval(() => adaptive.tick(), 500).unref()

const sampler = new EventLoopDelaySampler()
if (limits.maxEventLoopDelayMs > 0) sampler.start()

let inFlight = 0

export function requestsInFlight() {
  return inFlight
}

export function concurrencyLimit() {
  return adaptive.limit
}

/**
 * Runs right after the request id (so a refusal carries one) and before anything that
 * costs: no body parsing, session, auth or database work is spent on a request we refuse.
 */
export default class OverloadMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const routeClass = classify(ctx.request.url())
    if (routeClass === 'exempt') return next()
    const reason = shedReason(
      routeClass,
      inFlight,
      sampler.currentMs,
      limits.maxInFlight > 0 ? { ...limits, maxInFlight: adaptive.limit } : limits,
    )
    if (reason) {
      overloadShed.inc({ reason, class: routeClass })
      // Answered here, not thrown: a refusal must cost next to nothing, and the exception
      // handler would build a stack trace and log every one of them as a server error.
      const body: ErrorEnvelope = {
        error: {
          code: 'E_OVERLOADED',
          message: 'The server is overloaded; retry after the delay in Retry-After',
          requestId: ctx.requestId,
        },
      }
      ctx.response.header('Retry-After', String(limits.retryAfterSeconds))
      ctx.response.status(503).send(body)
      return
    }
    inFlight += 1
    adaptive.admitted(inFlight)
    const started = performance.now()
    try {
      return await next()
    } finally {
      inFlight -= 1
      adaptive.record(performance.now() - started)
    }
  }
}

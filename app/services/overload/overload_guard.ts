import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks'

/*
 * Load shedding (issue #10): past a point, answering everyone late is worse than refusing
 * some quickly. A refused client gets 503 + Retry-After at once and can come back; an
 * accepted one keeps a usable latency. Two signals, either one sheds:
 * - requests in flight in this process (work admitted but not finished),
 * - event-loop delay (the process is CPU-bound: new work only makes everything slower).
 */

/** exempt: never shed. priority: the call path, shed only at `priorityFactor` × the limits. */
export type RouteClass = 'exempt' | 'priority' | 'normal'

export type OverloadLimits = {
  /** Requests in flight (exempt ones not counted) at which new ones are refused; 0 = off. */
  maxInFlight: number
  /** Mean event-loop delay (ms, over the last sampling window) above which we shed; 0 = off. */
  maxEventLoopDelayMs: number
  /** The call path (voice routing, edge lookups, webhooks) gets this many times the limits. */
  priorityFactor: number
  retryAfterSeconds: number
}

export type ShedReason = 'in_flight' | 'event_loop_delay'

/*
 * Operators must always be able to see the state of an overloaded process (/health for the
 * load balancer, /metrics for Prometheus). Voice routing is shed last: voip-edge retries a
 * 503 once and then gives the caller its fallback (apology + 503 congestion), which is
 * acceptable only when the process really is drowning. Webhook senders retry a 503.
 */
export function classify(path: string): RouteClass {
  if (path === '/health' || path.startsWith('/health/') || path === '/metrics') return 'exempt'
  if (
    path.startsWith('/api/voice/') ||
    path.startsWith('/api/edge/') ||
    path.startsWith('/api/webhooks/')
  )
    return 'priority'
  return 'normal'
}

/** The decision alone (pure): why this request must be refused, or null to admit it. */
export function shedReason(
  routeClass: RouteClass,
  inFlight: number,
  eventLoopDelayMs: number,
  limits: OverloadLimits,
): ShedReason | null {
  if (routeClass === 'exempt') return null
  const factor = routeClass === 'priority' ? Math.max(1, limits.priorityFactor) : 1
  if (limits.maxInFlight > 0 && inFlight >= limits.maxInFlight * factor) return 'in_flight'
  if (limits.maxEventLoopDelayMs > 0 && eventLoopDelayMs > limits.maxEventLoopDelayMs * factor)
    return 'event_loop_delay'
  return null
}

const RESOLUTION_MS = 10
const WINDOW_MS = 500

/**
 * Samples the event-loop delay in short windows. The histogram records the full interval
 * between timer ticks, so the resolution is taken off to leave the delay itself.
 */
export class EventLoopDelaySampler {
  #histogram: ELDHistogram | null = null
  #timer: NodeJS.Timeout | null = null
  #current = 0

  get currentMs() {
    return this.#current
  }

  start() {
    if (this.#histogram) return
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
    this.#histogram.enable()
    this.#timer = setInterval(() => this.#sample(), WINDOW_MS)
    this.#timer.unref()
  }

  stop() {
    this.#histogram?.disable()
    if (this.#timer) clearInterval(this.#timer)
    this.#histogram = null
    this.#timer = null
    this.#current = 0
  }

  #sample() {
    const histogram = this.#histogram!
    const meanMs = histogram.count > 0 ? histogram.mean / 1e6 : 0
    this.#current = Math.max(0, meanMs - RESOLUTION_MS)
    histogram.reset()
  }
}

/**
 * The in-flight cap adapts to what the process actually finishes in time (AIMD, in the
 * spirit of TCP congestion control): a fixed cap high enough for bursts at normal load lets
 * requests queue for seconds on the database pool under real overload, and one low enough
 * for overload refuses ordinary bursts. Each window, when the mean time of the admitted
 * requests exceeds the target while the cap was at least half used, two windows in a row
 * (one slow window on a shared box is noise, not overload), the cap is cut by a fifth
 * (down to `min`); when it is under half the target, the cap grows back by a tenth
 * (up to `max`). Slowness at low concurrency (a cold process, one slow query) is not
 * queueing, and refusing work would not cure it: the cap holds.
 */
export class AdaptiveConcurrency {
  #limit: number
  #sum = 0
  #count = 0
  #peak = 0
  #slowWindows = 0

  constructor(readonly options: { max: number; min: number; targetMs: number }) {
    this.#limit = options.max
  }

  get limit() {
    return this.#limit
  }

  /** Called on admission with the number of requests then in flight (this one included). */
  admitted(inFlight: number) {
    if (inFlight > this.#peak) this.#peak = inFlight
  }

  record(ms: number) {
    this.#sum += ms
    this.#count += 1
  }

  /** Ends a window; returns the new cap. */
  tick() {
    const { max, min, targetMs } = this.options
    if (this.#count > 0 && targetMs > 0) {
      const mean = this.#sum / this.#count
      const slow = mean > targetMs && this.#peak * 2 >= this.#limit
      this.#slowWindows = slow ? this.#slowWindows + 1 : 0
      if (this.#slowWindows >= 2) this.#limit = Math.max(min, Math.floor(this.#limit * 0.8))
      else if (mean < targetMs / 2)
        this.#limit = Math.min(max, this.#limit + Math.max(1, Math.floor(this.#limit * 0.1)))
    }
    this.#sum = 0
    this.#count = 0
    this.#peak = 0
    return this.#limit
  }
}

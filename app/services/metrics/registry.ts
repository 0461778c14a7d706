import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/*
 * The app's Prometheus registry. Metrics are true counters and gauges updated where the
 * event happens (never computed by counting rows at scrape time), except queue depth,
 * which Bull itself keeps and is read when scraped.
 */
export const registry = new Registry()
registry.setDefaultLabels({ service: 'opbx-web' })
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })

export const httpRequestDuration = new Histogram({
  name: 'opbx_http_request_duration_seconds',
  help: 'HTTP request duration by route pattern, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
})

export const webhookOutcomes = new Counter({
  name: 'opbx_webhook_outcomes_total',
  help: 'Inbound webhooks by endpoint and outcome (verified, rejected, duplicate, …)',
  labelNames: ['endpoint', 'outcome'] as const,
  registers: [registry],
})

export const signInAttempts = new Counter({
  name: 'opbx_sign_in_attempts_total',
  help: 'Sign-in attempts by channel and outcome',
  labelNames: ['via', 'outcome'] as const,
  registers: [registry],
})

export const activeCalls = new Gauge({
  name: 'opbx_active_calls',
  help: 'Calls in progress per organization (maintained on call state changes, kept in Redis)',
  labelNames: ['organization_id'] as const,
  registers: [registry],
  async collect() {
    const { liveCallCounts } = await import('#services/metrics/live_calls')
    try {
      const counts = await liveCallCounts()
      this.reset()
      for (const [organizationId, live] of counts)
        this.set({ organization_id: String(organizationId) }, live)
    } catch {
      // Redis down: /health reports it; a scrape must not fail because of it.
    }
  },
})

export const queueJobs = new Gauge({
  name: 'opbx_queue_jobs',
  help: 'Jobs in the background queue by state',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    const { default: queueService } = await import('#services/queue/queue_service')
    try {
      const counts = await queueService.queue().getJobCounts()
      for (const [state, value] of Object.entries(counts)) this.set({ state }, value)
    } catch {
      // Redis down: /health reports it; a scrape must not fail because of it.
    }
  },
})

export const overloadShed = new Counter({
  name: 'opbx_overload_shed_total',
  help: 'Requests refused with 503 E_OVERLOADED by the overload guard, by reason and route class',
  labelNames: ['reason', 'class'] as const,
  registers: [registry],
})

export const requestsInFlightGauge = new Gauge({
  name: 'opbx_http_requests_in_flight',
  help: 'Requests admitted by the overload guard and not finished yet (health and metrics excluded)',
  registers: [registry],
  async collect() {
    const { requestsInFlight } = await import('#middleware/overload_middleware')
    this.set(requestsInFlight())
  },
})

export const concurrencyLimitGauge = new Gauge({
  name: 'opbx_overload_concurrency_limit',
  help: "The overload guard's current in-flight cap (adapts between OVERLOAD_MIN_IN_FLIGHT and OVERLOAD_MAX_IN_FLIGHT)",
  registers: [registry],
  async collect() {
    const { concurrencyLimit } = await import('#middleware/overload_middleware')
    this.set(concurrencyLimit())
  },
})

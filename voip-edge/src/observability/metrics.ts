/**
 * Prometheus metrics of one edge instance, served by the control server at `GET /metrics`
 * (the control API listens on a private interface; with VOIP_EDGE_METRICS_TOKEN set, the
 * scraper must also send it as a bearer token).
 *
 * Counters are incremented where the event happens (registrations, call setups). Figures
 * the edge already keeps as its own running counters or state (SIP stack and transport
 * counters, active calls, the CDR spool, rtpengine's session list) are read when scraped:
 * nothing is computed by counting stored rows.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { Edge } from '../edge.ts'
import type { TransportProtocol } from '../transport/transport.ts'

export interface MetricsSource {
  activeCalls(): number
  cdrSpoolDepth(): number | null
  /** `<in|out> <METHOD> <status|->` → count, as SipStack.messageCounts keeps them. */
  messageCounts(): ReadonlyMap<string, number>
  stackStats(): {
    parseErrors: number
    badRequestsAnswered: number
    dropped: number
    blocked: number
    overloaded?: number
  }
  transportStats(): Array<{
    protocol: string
    received: number
    sent: number
    dropped: number
    connections: number
  }>
  /** rtpengine's own session count, or null when it cannot be asked. */
  rtpengineSessions(): Promise<number | null>
  /** SIP dialogs the edge holds (both legs of every call, plus subscriptions). */
  dialogs?(): number
}

export type CallSetupOutcome = 'accepted' | 'draining' | 'no_routing' | 'no_media'

export class EdgeMetrics {
  readonly registry = new Registry()
  readonly registrations: Counter<'outcome'>
  readonly callSetups: Counter<'outcome'>
  /** 1 while rtpengine answers the edge's pings (set by every probe). */
  readonly rtpengineUp: Gauge
  readonly mediaLostCalls: Counter
  #source: MetricsSource | null = null

  /** Bearer token scrapers must send; null serves any caller that reaches the control port. */
  readonly token: string | null

  constructor(
    options: { instanceId?: string; defaultMetrics?: boolean; token?: string | null } = {},
  ) {
    this.token = options.token || null
    this.registry.setDefaultLabels({
      service: 'voip-edge',
      ...(options.instanceId ? { instance_id: options.instanceId } : {}),
    })
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 })
    const registers = [this.registry]
    this.registrations = new Counter({
      name: 'voip_edge_registrations_total',
      help: 'REGISTER requests by outcome (registered, challenged, forbidden = auth failure, blocked, unknown-realm, invalid)',
      labelNames: ['outcome'],
      registers,
    })
    this.callSetups = new Counter({
      name: 'voip_edge_call_setups_total',
      help: 'Inbound INVITEs by what the edge did with them',
      labelNames: ['outcome'],
      registers,
    })

    this.rtpengineUp = new Gauge({
      name: 'voip_edge_rtpengine_up',
      help: 'Whether rtpengine answered the last ping (0: new calls are refused with 480)',
      registers,
    })
    this.mediaLostCalls = new Counter({
      name: 'voip_edge_media_lost_calls_total',
      help: 'Calls torn down because rtpengine no longer held their media session (restart)',
      registers,
    })

    const metrics = this
    new Gauge({
      name: 'voip_edge_sip_dialogs',
      help: 'SIP dialogs held by this edge',
      registers,
      collect() {
        const dialogs = metrics.#source?.dialogs?.()
        if (dialogs !== undefined) this.set(dialogs)
      },
    })
    new Gauge({
      name: 'voip_edge_active_calls',
      help: 'Calls in progress on this edge',
      registers,
      collect() {
        if (metrics.#source) this.set(metrics.#source.activeCalls())
      },
    })
    new Gauge({
      name: 'voip_edge_cdr_spool_depth',
      help: 'CDRs spooled on disk and not yet accepted by the app',
      registers,
      collect() {
        const depth = metrics.#source?.cdrSpoolDepth()
        if (depth !== null && depth !== undefined) this.set(depth)
      },
    })
    new Gauge({
      name: 'voip_edge_rtpengine_sessions',
      help: 'Sessions rtpengine reports (all of them, not only this edge’s)',
      registers,
      async collect() {
        const sessions = await metrics.#source?.rtpengineSessions()
        if (sessions !== null && sessions !== undefined) this.set(sessions)
      },
    })
    // Running totals the SIP stack keeps itself, exposed as counters.
    new Counter({
      name: 'voip_edge_sip_stack_events_total',
      help: 'SIP stack events: parse errors, 400s answered, input dropped, packets from blocked IPs, requests refused 503 as the transaction bound was reached',
      labelNames: ['event'],
      registers,
      collect() {
        const stats = metrics.#source?.stackStats()
        if (!stats) return
        this.reset()
        for (const [event, value] of Object.entries(stats)) this.inc({ event }, value)
      },
    })
    new Counter({
      name: 'voip_edge_sip_messages_total',
      help: 'SIP messages received and sent, by transport',
      labelNames: ['transport', 'direction'],
      registers,
      collect() {
        const transports = metrics.#source?.transportStats()
        if (!transports) return
        this.reset()
        for (const t of transports) {
          this.inc({ transport: t.protocol, direction: 'in' }, t.received)
          this.inc({ transport: t.protocol, direction: 'out' }, t.sent)
        }
      },
    })
    new Counter({
      name: 'voip_edge_sip_parsed_messages_total',
      help: 'Parsed SIP messages by direction, method (responses: their CSeq method) and status',
      labelNames: ['direction', 'method', 'status'],
      registers,
      collect() {
        const counts = metrics.#source?.messageCounts()
        if (!counts) return
        this.reset()
        for (const [key, value] of counts) {
          const [direction, method, status] = key.split(' ')
          this.inc({ direction, method, status: status === '-' ? '' : status }, value)
        }
      },
    })
    new Gauge({
      name: 'voip_edge_transport_connections',
      help: 'Open connections per stream transport',
      labelNames: ['transport'],
      registers,
      collect() {
        for (const t of metrics.#source?.transportStats() ?? [])
          this.set({ transport: t.protocol }, t.connections)
      },
    })
  }

  /** Where scrape-time figures come from (the running edge). */
  attach(source: MetricsSource): void {
    this.#source = source
  }

  render(): Promise<string> {
    return this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }
}

const PROTOCOLS: TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss']

/** The scrape-time source for a running edge; `media` answers rtpengine's session list. */
export function edgeMetricsSource(
  edge: Edge,
  media: { list(limit?: number): Promise<string[]> } | null,
): MetricsSource {
  return {
    activeCalls: () => edge.activeCalls(),
    dialogs: () => edge.dialogs.size,
    messageCounts: () => edge.stack?.messageCounts ?? new Map(),
    cdrSpoolDepth: () => edge.cdrs?.pending().length ?? null,
    // A drachtio-backed edge has no native stack: its counters stay at zero.
    stackStats: () => ({
      parseErrors: 0,
      badRequestsAnswered: 0,
      dropped: 0,
      blocked: 0,
      overloaded: 0,
      ...edge.stack?.stats,
    }),
    transportStats: () =>
      PROTOCOLS.flatMap((protocol) => {
        const transport = edge.stack?.transport(protocol)
        return transport ? [{ protocol, ...transport.stats }] : []
      }),
    rtpengineSessions: async () => {
      if (!media) return null
      try {
        const sessions = await media.list(100_000)
        return sessions.length
      } catch {
        return null
      }
    },
  }
}

/**
 * Wires one edge instance from a config and injected dependencies. No module-level state:
 * tests start several edges in one process, each on its own ephemeral port and key prefix.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { EdgeConfig } from './config.ts'
import { SystemClock, DEFAULT_TIMERS, type Clock, type TimerValues } from './transaction/clock.ts'
import type { Transport, Endpoint, TransportProtocol } from './transport/transport.ts'
import { UdpTransport } from './transport/udp_transport.ts'
import { TcpTransport } from './transport/tcp_transport.ts'
import { WsTransport } from './transport/ws_transport.ts'
import { DEFAULT_LIMITS } from './sip/parser.ts'
import { createLogger } from './observability/logger.ts'
import type { CredentialStore } from './registrar/credential_store.ts'
import type { TrunkStore } from './registrar/trunk_store.ts'
import { NonceCounter, NonceManager } from './registrar/nonce.ts'
import { BruteForceGuard, type BruteForceOptions } from './registrar/brute_force_guard.ts'
import { BindingStore } from './registrar/binding_store.ts'
import { DigestAuthenticator } from './registrar/authenticator.ts'
import { Registrar } from './registrar/registrar.ts'
import { RtpEngine } from './media/rtpengine.ts'
import type { Router } from './routing/router.ts'
import { CallHandler } from './b2bua/call_handler.ts'
import { NativeSignalingPort } from './signaling/native_port.ts'
import { DrachtioSignalingPort } from './signaling/drachtio_port.ts'
import type { SipStack } from './stack/sip_stack.ts'
import { CdrSpool } from './events/cdr_spool.ts'
import { buildCdr } from './events/cdr.ts'
import { ControlServer } from './control/control_server.ts'
import type { EdgeMetrics } from './observability/metrics.ts'
import {
  SessionUpdatePublisher,
  buildSessionUpdate,
  type SessionStatus,
} from './events/session_updates.ts'
import type { CallSession } from './b2bua/call_session.ts'
import { MediaHealth } from './media/media_health.ts'
import { MediaReconciler } from './b2bua/media_reconciler.ts'
import { DtmfSink } from './media/dtmf_sink.ts'
import { TtsCache } from './media/tts.ts'
import { PromptCache } from './media/prompt_cache.ts'
import { AppRecordingUploader } from './media/recording_store.ts'
import type { MediaServices } from './cxml/call_media.ts'
import { ConferenceBridge } from './conference/bridge.ts'
import { dialRecordingsSettled } from './cxml/dial_recording.ts'
import type { OutboundPlanStore } from './trunks/plan_store.ts'
import { TenantCallLimiter, TrunkChannels } from './trunks/call_limits.ts'
import { TrunkDialer } from './trunks/trunk_dialer.ts'
import { CallTransfers } from './b2bua/transfer.ts'
import { CallRecovery } from './b2bua/call_records.ts'
import { TrunkRegistrations, type RegisterSender } from './trunks/trunk_registrations.ts'
import { MwiService } from './mwi/mwi_service.ts'
import type { SignalingPort } from './signaling/signaling_port.ts'
import { MwiSubscriptionStore } from './mwi/subscription_store.ts'
import { HttpMailboxCounts, type MailboxCountsSource } from './mwi/mailbox_counts.ts'

export interface EdgeDeps {
  credentials: CredentialStore
  /** Shared Redis connection; when absent the edge opens (and later closes) its own. */
  redis?: Redis
  logger?: Logger
  clock?: Clock
  timers?: Partial<TimerValues>
  bruteForce?: Partial<BruteForceOptions>
  instanceId?: string
  /** Call routing (M1). Without one, INVITEs are answered 480. */
  router?: Router
  /** rtpengine client; by default one is created from `VOIP_EDGE_RTPENGINE_NG`. */
  media?: RtpEngine
  /** IP-authenticated trunks (carriers); without it every INVITE needs digest credentials. */
  trunks?: TrunkStore
  /** Tenants' outbound plans (routes, trunks, fraud rules); without it numbers that are no
   *  extension are not dialled out. */
  plans?: OutboundPlanStore
  /** Host name → address for trunk hosts (DNS by default). */
  resolveHost?(host: string): Promise<string>
  /** Control API `POST /v1/reload` (e.g. re-read the credential file). */
  onReload?(): Promise<void>
  /** Prometheus counters, served by the control API at `GET /metrics`. */
  metrics?: EdgeMetrics
  /** Mailbox counts for a new MWI subscription; by default the app over signed HTTP. */
  mailboxCounts?: MailboxCountsSource
  /** Crash recovery timing (b2bua/call_records.ts); the defaults suit production. */
  callRecovery?: { heartbeatMs?: number; ownerTtlMs?: number }
}

export interface Edge {
  readonly instanceId: string
  start(): Promise<Map<TransportProtocol, Endpoint>>
  /** Stops taking new calls (503) and waits for calls and requests in flight, up to the drain timeout. */
  drain(): Promise<void>
  stop(): Promise<void>
  setSipMessageLog(enabled: boolean): void
  /** The native SIP stack; null when a drachtio daemon carries the SIP traffic. */
  readonly stack: SipStack | null
  readonly registrar: Registrar
  readonly guard: BruteForceGuard
  readonly bindings: BindingStore
  readonly dialogs: { readonly size: number }
  /** Port of the signed control API, when enabled (after start()). */
  controlPort(): number | null
  /** Durable CDR spool, when VOIP_EDGE_CDR_SPOOL_DIR is set. */
  readonly cdrs: CdrSpool | null
  activeCalls(): number
  activeCallIds(): string[]
  /** Pings rtpengine now and updates the media health flag. */
  checkMedia(): Promise<boolean>
  /** The last probe's verdict: false while new calls are refused for want of rtpengine. */
  mediaHealthy(): boolean
  /** Tears down the calls rtpengine no longer holds now; resolves with their number. */
  reconcileMedia(): Promise<number>
  isDraining(): boolean
}

export function createEdge(config: EdgeConfig, deps: EdgeDeps): Edge {
  const clock = deps.clock ?? new SystemClock()
  const logger = deps.logger ?? createLogger(config.logLevel)
  const ownsRedis = deps.redis === undefined
  const redis =
    deps.redis ??
    new Redis(config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      connectTimeout: 3000,
      // Commands issued in one tick (the REGISTER path sends two or three) share one write.
      enableAutoPipelining: true,
    })
  const ownsMedia = deps.media === undefined
  const media =
    deps.media ??
    new RtpEngine({
      ...config.rtpengineNg,
      timeoutMs: config.rtpengineTimeoutMs,
      localAddress: config.sipHost,
    })
  const instanceId = deps.instanceId ?? randomUUID()
  const timers = { ...DEFAULT_TIMERS, ...deps.timers }
  // Both built here, wired once `calls` exists: the reconciler needs its sessions.
  let reconciler: MediaReconciler | null = null
  const mediaHealth = new MediaHealth({
    media,
    logger,
    intervalMs: config.rtpengineProbeMs,
    onProbe: (healthy, recovered) => {
      deps.metrics?.rtpengineUp.set(healthy ? 1 : 0)
      reconciler?.onProbe(healthy, recovered)
    },
  })

  const nonces = new NonceManager(config.signingSecret, clock)
  const guard = new BruteForceGuard(redis, config.redisPrefix, {
    ...deps.bruteForce,
    allowIps: config.allowIps,
  })
  const bindings = new BindingStore(redis, config.redisPrefix)
  const authenticator = new DigestAuthenticator({
    credentials: deps.credentials,
    nonces,
    counter: new NonceCounter(redis, config.redisPrefix, nonces.lifetimeMs),
    guard,
    algorithms: config.digestAlgorithms,
  })
  const registrar = new Registrar({
    credentials: deps.credentials,
    authenticator,
    guard,
    bindings,
    clock,
    realmSuffix: config.realmSuffix,
    minExpires: config.registerMinExpires,
    maxExpires: config.registerMaxExpires,
    edgeInstance: instanceId,
  })

  const transports: Transport[] = config.transports.map((name) => {
    if (name === 'udp') return new UdpTransport({ host: config.sipHost, port: config.sipPort })
    if (name === 'tcp')
      return new TcpTransport({
        host: config.sipHost,
        port: config.sipPort,
        maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
      })
    if (name === 'ws')
      return new WsTransport({
        host: config.sipHost,
        port: config.wsPort,
        maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
      })
    const tls = config.tls!
    return new TcpTransport({
      host: config.sipHost,
      port: tls.port,
      maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
      tls: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
    })
  })
  const port =
    config.signaling.kind === 'drachtio'
      ? new DrachtioSignalingPort({ ...config.signaling, logger })
      : new NativeSignalingPort({
          transports,
          clock,
          logger,
          advertisedHost: config.advertisedHost,
          limits: DEFAULT_LIMITS,
          timers,
          blockIps: config.blockIps,
          sipMessageLog: config.sipMessageLog,
          maxServerTransactions: config.maxServerTransactions,
        })
  const nativeStack = port instanceof NativeSignalingPort ? port.stack : null
  // With drachtio the daemon logs SIP messages; the switch only applies to the native stack.
  const setSipMessageLog = (enabled: boolean) => nativeStack?.setSipMessageLog(enabled)

  let draining = false
  const inFlight = new Set<Promise<unknown>>()
  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work)).catch(() => undefined)
    return work
  }

  port.onRegister((register) =>
    track(
      registrar.handle(register).then((result) => {
        deps.metrics?.registrations.inc({ outcome: result.outcome })
        logger.info(
          {
            organizationId: result.organizationId,
            aor: result.aor,
            outcome: result.outcome,
            source: register.source.address,
            status: result.reply.status,
          },
          'register handled',
        )
        return result.reply
      }),
    ),
  )

  // MWI needs SUBSCRIBE and in-dialog NOTIFY from the port (the native SIP core has both).
  const mwiPort = port as SignalingPort
  const mwi =
    mwiPort.onSubscribe && mwiPort.sendDialogRequest
      ? new MwiService({
          send: (options) => mwiPort.sendDialogRequest!(options),
          credentials: deps.credentials,
          authenticator,
          guard,
          bindings,
          store: new MwiSubscriptionStore(redis, config.redisPrefix),
          counts:
            deps.mailboxCounts ??
            new HttpMailboxCounts({
              baseUrl: config.appBaseUrl,
              signingSecret: config.signingSecret,
            }),
          clock,
          logger,
          realmSuffix: config.realmSuffix,
          unsolicited: config.mwiUnsolicited,
        })
      : null
  if (mwi) mwiPort.onSubscribe!((subscribe) => track(mwi.handleSubscribe(subscribe)))

  const cdrs = config.cdrSpoolDir
    ? new CdrSpool({
        dir: config.cdrSpoolDir,
        url: new URL('/api/webhooks/cloudonix/cdr', config.appBaseUrl).href,
        signingSecret: config.signingSecret,
        logger,
      })
    : null
  const updates = config.sessionUpdates
    ? new SessionUpdatePublisher({
        url: new URL('/api/webhooks/cloudonix/session-update', config.appBaseUrl).href,
        signingSecret: config.signingSecret,
        logger,
      })
    : null
  const terminal: Record<string, SessionStatus> = {
    busy: 'busy',
    noanswer: 'noanswer',
    cancel: 'cancel',
    failed: 'error',
    rejected: 'error',
    shutdown: 'error',
    media_lost: 'error',
    edge_restart: 'error',
  }
  const publishStatus = (
    session: CallSession,
    status: 'processing' | 'ringing' | 'connected' | 'ended',
  ) => {
    if (!updates) return
    // An answered call ends as "connected" with callEndTime set (contract §6.1 event table).
    const value: SessionStatus =
      status !== 'ended'
        ? status
        : session.answeredAt !== null
          ? 'connected'
          : (terminal[session.endReason ?? 'failed'] ?? 'error')
    const facts = {
      callId: session.callId,
      organizationId: session.organizationId,
      ...session.facts,
      startedAt: session.startedAt,
      answeredAt: session.answeredAt,
      endedAt: session.endedAt,
      edgeAddress: config.advertisedHost,
    }
    void updates.publish(session.callId, buildSessionUpdate(facts, value, clock.now()))
  }
  const trunkChannels = new TrunkChannels()
  const limits = new TenantCallLimiter({
    defaults: { maxCalls: config.tenantLimits.maxCalls, maxCps: config.tenantLimits.maxCps },
    overrides: config.tenantLimits.overrides,
  })
  const outbound = deps.plans
    ? new TrunkDialer({
        port,
        plans: deps.plans,
        channels: trunkChannels,
        logger,
        noResponseMs: config.trunkNoResponseMs,
        resolve: deps.resolveHost,
      })
    : undefined
  const dtmf = config.media.dtmfListen ? new DtmfSink(logger) : null
  const fetchLimits = {
    connectTimeoutMs: config.media.cxmlConnectTimeoutMs,
    totalTimeoutMs: config.media.playTimeoutMs,
    maxBytes: config.media.playMaxBytes,
  }
  const mediaServices: MediaServices = {
    rtp: media,
    tts: new TtsCache({ dir: config.media.cacheDir }),
    prompts: new PromptCache({
      dir: config.media.cacheDir,
      limits: fetchLimits,
      allowedOrigins: [config.appBaseUrl],
    }),
    dtmf,
    recordingDir: config.media.recordingDir,
    recordings: new AppRecordingUploader({
      appBaseUrl: config.appBaseUrl,
      signingSecret: config.signingSecret,
      limits: { ...fetchLimits, totalTimeoutMs: config.media.cxmlTimeoutMs },
    }),
    sink: { address: config.media.sink.host, port: config.media.sink.port },
    cacheDir: config.media.cacheDir,
  }
  // Participants' sockets listen next to the sink: the address rtpengine already sends to.
  const conferences = new ConferenceBridge({
    address: config.media.sink.host,
    recordings: mediaServices.recordings,
    logger: logger.child({ component: 'conference' }),
    signingSecret: config.signingSecret,
    fetchLimits: { ...fetchLimits, totalTimeoutMs: config.media.cxmlTimeoutMs },
  })
  // Registration trunks are kept registered by any edge that has the tenants' plans (the
  // native SIP core sends the REGISTERs; other signaling ports do not yet).
  const registrations =
    deps.plans && 'register' in port
      ? new TrunkRegistrations({
          port: port as RegisterSender,
          plans: deps.plans,
          logger,
          resolve: deps.resolveHost,
        })
      : null
  // Calls of a crashed edge are hung up by the next one (needs in-dialog requests from the port).
  const recovery =
    deps.router && mwiPort.sendDialogRequest
      ? new CallRecovery({
          redis,
          prefix: config.redisPrefix,
          instanceId,
          logger,
          sessions: () => calls?.active.values() ?? [],
          sendBye: (options) => mwiPort.sendDialogRequest!(options),
          deleteMedia: (callId) => media.delete({ callId }),
          ...deps.callRecovery,
          onRecovered: (record, endedAt) => {
            const facts = { callId: record.callId, organizationId: record.organizationId }
            const times = { startedAt: record.startedAt, answeredAt: record.answeredAt, endedAt }
            cdrs?.enqueue(
              buildCdr({
                ...facts,
                ...record.facts,
                ...times,
                endReason: 'edge_restart',
                edgeAddress: config.advertisedHost,
              }),
            )
            const update = buildSessionUpdate(
              { ...facts, ...record.facts, ...times, edgeAddress: config.advertisedHost },
              'connected',
              endedAt,
            )
            void updates?.publish(record.callId, { ...update, reason: 'edge restarted' })
          },
        })
      : null
  const calls = deps.router
    ? new CallHandler({
        port,
        clock,
        credentials: deps.credentials,
        authenticator,
        guard,
        bindings,
        media,
        router: deps.router,
        logger,
        trunks: deps.trunks,
        outbound,
        limits,
        transfers: new CallTransfers(logger),
        mediaServices,
        conferences,
        onStatus: (session, status) => {
          publishStatus(session, status)
          recovery?.onStatus(session, status)
        },
        onCallEnded: (session) =>
          cdrs?.enqueue(
            buildCdr({
              callId: session.callId,
              organizationId: session.organizationId,
              ...session.facts,
              startedAt: session.startedAt,
              answeredAt: session.answeredAt,
              endedAt: session.endedAt ?? clock.now(),
              endReason: session.endReason ?? 'failed',
              edgeAddress: config.advertisedHost,
            }),
          ),
      })
    : null
  if (calls)
    reconciler = new MediaReconciler({
      media,
      sessions: () => calls.active.values(),
      tearDown: async (session) => {
        deps.metrics?.mediaLostCalls.inc()
        await calls.endLostMedia(session)
      },
      logger,
      everyMs: config.rtpengineReconcileMs,
      giveUpMs: config.rtpengineGiveUpMs,
    })
  port.onInvite((call) => {
    const setup = (outcome: 'accepted' | 'draining' | 'no_routing' | 'no_media') =>
      deps.metrics?.callSetups.inc({ outcome })
    if (draining) {
      setup('draining')
      return call.reject(503, 'Service Unavailable (draining)', [
        { name: 'retry-after', value: '60' },
      ])
    }
    if (!calls) {
      setup('no_routing')
      return call.reject(480, 'Temporarily Unavailable (no call routing configured)')
    }
    if (!mediaHealth.healthy) {
      setup('no_media')
      return call.reject(480, 'Temporarily Unavailable (no media)', [
        { name: 'retry-after', value: '5' },
      ])
    }
    setup('accepted')
    void track(calls.handleInvite(call))
  })

  const control =
    config.control.port === null
      ? null
      : new ControlServer({
          signingSecret: config.signingSecret,
          logger,
          handlers: {
            status: () => ({
              instanceId,
              draining,
              mediaHealthy: mediaHealth.healthy,
              activeCalls: [...(calls?.active.keys() ?? [])],
              trunkRegistrations: registrations?.status() ?? [],
              trunkChannels: trunkChannels.snapshot(),
            }),
            hangup: async (callId) => (await calls?.hangup(callId)) ?? false,
            transfer: async (callId, target) =>
              (await calls?.transfer(callId, target)) ?? 'not-found',
            setSipMessageLog,
            reload: async () => {
              await deps.onReload?.()
              await registrations?.sync()
            },
            metrics: deps.metrics,
            mwi: mwi ? (update) => mwi.update(update) : undefined,
          },
        })
  let controlPort: number | null = null

  return {
    instanceId,
    controlPort: () => controlPort,
    stack: nativeStack,
    registrar,
    guard,
    bindings,
    dialogs: port.dialogs,
    cdrs,
    activeCalls: () => calls?.active.size ?? 0,
    checkMedia: () => mediaHealth.check(),
    mediaHealthy: () => mediaHealth.healthy,
    reconcileMedia: () => reconciler?.run() ?? Promise.resolve(0),
    activeCallIds: () => [...(calls?.active.keys() ?? [])],
    isDraining: () => draining,
    setSipMessageLog,
    async start() {
      if (ownsRedis) await redis.connect()
      const bound =
        port instanceof NativeSignalingPort
          ? await port.start()
          : await port.start().then(() => new Map<TransportProtocol, Endpoint>())
      if (dtmf && calls)
        await dtmf.listen(config.media.dtmfListen!.host, config.media.dtmfListen!.port)
      cdrs?.start()
      // Only a call-handling edge needs rtpengine; a registrar-only edge does not ping it.
      if (calls) mediaHealth.start()
      if (control) controlPort = await control.listen(config.control.host, config.control.port!)
      await registrations?.start()
      await recovery?.start()
      logger.info({ instanceId, listening: Object.fromEntries(bound) }, 'voip-edge started')
      return bound
    },
    async drain() {
      draining = true
      const deadline = new Promise<void>((resolve) =>
        setTimeout(resolve, config.drainTimeoutMs).unref(),
      )
      const work = [
        ...inFlight,
        ...[...(calls?.active.values() ?? [])].map((session) => session.ended),
      ]
      await Promise.race([Promise.allSettled(work).then(() => undefined), deadline])
    },
    async stop() {
      draining = true
      // Calls still up after the drain are hung up on both sides and released.
      await calls?.hangupAll()
      conferences.close()
      // Room recordings being uploaded get a moment to finish, like session updates below.
      await Promise.race([
        Promise.all([conferences.settled(), dialRecordingsSettled()]),
        new Promise((resolve) => setTimeout(resolve, 3000).unref()),
      ])
      mediaHealth.stop()
      await recovery?.stop()
      await registrations?.stop()
      await control?.close()
      await port.close()
      await dtmf?.close()
      await Promise.allSettled([...inFlight])
      // Session updates are best effort: a dead app must not hold the shutdown for long.
      await Promise.race([
        updates?.flush(),
        new Promise((resolve) => setTimeout(resolve, 3000).unref()),
      ])
      cdrs?.stop()
      if (ownsMedia) media.close()
      if (ownsRedis) redis.disconnect()
      logger.info({ instanceId }, 'voip-edge stopped')
    },
  }
}

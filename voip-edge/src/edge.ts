/**
 * Wires one edge instance from a config and injected dependencies. No module-level state:
 * tests start several edges in one process, each on its own ephemeral port and key prefix.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { EdgeConfig } from './config.ts'
import type { SipRequest } from './sip/message.ts'
import { getHeader } from './sip/message.ts'
import { buildResponse } from './sip/serializer.ts'
import { SipStack, type RequestContext } from './stack/sip_stack.ts'
import type { ServerTransaction } from './transaction/server_transaction.ts'
import { SystemClock, type Clock, type TimerValues } from './transaction/clock.ts'
import type { Transport, Endpoint, TransportProtocol } from './transport/transport.ts'
import { UdpTransport } from './transport/udp_transport.ts'
import { TcpTransport } from './transport/tcp_transport.ts'
import { DEFAULT_LIMITS } from './sip/parser.ts'
import { createLogger } from './observability/logger.ts'
import type { CredentialStore } from './registrar/credential_store.ts'
import { NonceCounter, NonceManager } from './registrar/nonce.ts'
import { BruteForceGuard, type BruteForceOptions } from './registrar/brute_force_guard.ts'
import { BindingStore } from './registrar/binding_store.ts'
import { DigestAuthenticator } from './registrar/authenticator.ts'
import { Registrar } from './registrar/registrar.ts'
import { DialogRegistry } from './dialog/dialog.ts'
import type { LocalIdentity } from './dialog/local_identity.ts'
import { RtpEngine } from './media/rtpengine.ts'
import type { Router } from './routing/router.ts'
import { CallHandler } from './b2bua/call_handler.ts'
import { DEFAULT_TIMERS } from './transaction/clock.ts'
import { parseCSeq, tagOf } from './sip/message.ts'

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
}

export interface Edge {
  readonly instanceId: string
  start(): Promise<Map<TransportProtocol, Endpoint>>
  /** Stops taking new calls (503) and waits for in-flight work, up to the drain timeout. */
  drain(): Promise<void>
  stop(): Promise<void>
  setSipMessageLog(enabled: boolean): void
  readonly stack: SipStack
  readonly registrar: Registrar
  readonly guard: BruteForceGuard
  readonly bindings: BindingStore
  readonly dialogs: DialogRegistry
  /** Calls in progress (CallSession per A-leg Call-ID); empty when no router is set. */
  activeCalls(): number
  activeCallIds(): string[]
  isDraining(): boolean
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER'

export function createEdge(config: EdgeConfig, deps: EdgeDeps): Edge {
  const clock = deps.clock ?? new SystemClock()
  const logger = deps.logger ?? createLogger(config.logLevel)
  const ownsRedis = deps.redis === undefined
  const redis = deps.redis ?? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3000 })
  const instanceId = deps.instanceId ?? randomUUID()
  const nonces = new NonceManager(config.signingSecret, clock)
  const guard = new BruteForceGuard(redis, config.redisPrefix, { ...deps.bruteForce, allowIps: config.allowIps })
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
    toTag: () => randomBytes(6).toString('hex'),
  })

  const timers = { ...DEFAULT_TIMERS, ...deps.timers }
  const ownsMedia = deps.media === undefined
  const media = deps.media ?? new RtpEngine({ ...config.rtpengineNg, timeoutMs: config.rtpengineTimeoutMs, localAddress: config.sipHost })
  const dialogs = new DialogRegistry()
  let bound = new Map<TransportProtocol, Endpoint>()
  const local: LocalIdentity = {
    sentBy: (protocol) => `${config.advertisedHost}:${bound.get(protocol)?.port ?? config.sipPort}`,
    contact: (protocol) => `<sip:edge@${config.advertisedHost}:${bound.get(protocol)?.port ?? config.sipPort};transport=${protocol}>`,
  }
  let calls: CallHandler | null = null

  let draining = false
  const inFlight = new Set<Promise<void>>()
  const transports: Transport[] = config.transports.map((name) =>
    name === 'udp'
      ? new UdpTransport({ host: config.sipHost, port: config.sipPort })
      : new TcpTransport({ host: config.sipHost, port: config.sipPort, maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes }),
  )

  const respond = (transaction: ServerTransaction, request: SipRequest, status: number, reason?: string, headers?: Array<{ name: string; value: string }>) =>
    transaction.respond(buildResponse(request, status, { reason, headers, toTag: randomBytes(6).toString('hex') }))

  function track(work: Promise<void>): void {
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
  }

  function onRequest(request: SipRequest, transaction: ServerTransaction, context: RequestContext): void {
    const log = logger.child({ callId: getHeader(request, 'call-id'), method: request.method })
    const toTag = tagOf(getHeader(request, 'to') ?? '')
    if (toTag !== undefined && request.method !== 'CANCEL' && request.method !== 'REGISTER' && request.method !== 'OPTIONS') {
      const dialog = dialogs.forRequest(getHeader(request, 'call-id')!, toTag, tagOf(getHeader(request, 'from') ?? ''))
      if (dialog) dialog.receiveRequest(request, transaction)
      else respond(transaction, request, 481)
      return
    }
    switch (request.method) {
      case 'REGISTER':
        track(
          registrar.handle(request, context.source).then(
            (result) => {
              log.info({ organizationId: result.organizationId, aor: result.aor, outcome: result.outcome, source: context.source.address }, 'register handled')
              transaction.respond(result.response)
            },
            (error: unknown) => {
              // Redis or the credential store failed: tell the phone to come back later
              // rather than leaving it without an answer.
              log.error({ err: error }, 'register failed')
              respond(transaction, request, 503, 'Service Unavailable', [{ name: 'retry-after', value: '30' }])
            },
          ),
        )
        return
      case 'OPTIONS':
        respond(transaction, request, 200, 'OK', [{ name: 'allow', value: ALLOW }, { name: 'accept', value: 'application/sdp' }])
        return
      case 'INVITE':
        if (draining) {
          respond(transaction, request, 503, 'Service Unavailable (draining)', [{ name: 'retry-after', value: '60' }])
          return
        }
        if (!calls) {
          respond(transaction, request, 480, 'Temporarily Unavailable (no call routing configured)')
          return
        }
        track(calls.handleInvite(request, transaction, context.source))
        return
      case 'CANCEL':
        if (!calls?.handleCancel(request, transaction)) respond(transaction, request, 481)
        return
      default:
        respond(transaction, request, 405, undefined, [{ name: 'allow', value: ALLOW }])
    }
  }

  const stack = new SipStack({
    transports,
    clock,
    logger,
    limits: DEFAULT_LIMITS,
    timers: deps.timers,
    blockIps: config.blockIps,
    sipMessageLog: config.sipMessageLog,
    onRequest,
    onAck: (ack) => {
      dialogs.forRequest(getHeader(ack, 'call-id')!, tagOf(getHeader(ack, 'to') ?? ''), tagOf(getHeader(ack, 'from') ?? ''))?.onAck?.()
    },
    onStrayResponse: (response) => {
      // A retransmitted 2xx means our ACK was lost: send it again (§13.2.2.4).
      if (response.status < 200 || response.status >= 300 || parseCSeq(getHeader(response, 'cseq') ?? '')?.method !== 'INVITE') return
      dialogs.forResponse(response, tagOf(getHeader(response, 'from') ?? ''), tagOf(getHeader(response, 'to') ?? ''))?.resendAck?.()
    },
  })

  if (deps.router) {
    calls = new CallHandler({
      stack,
      local: () => local,
      clock,
      timers,
      registry: dialogs,
      credentials: deps.credentials,
      authenticator,
      guard,
      bindings,
      media,
      router: deps.router,
      logger,
    })
  }

  return {
    instanceId,
    stack,
    registrar,
    guard,
    bindings,
    dialogs,
    activeCalls: () => calls?.active.size ?? 0,
    activeCallIds: () => [...(calls?.active.keys() ?? [])],
    isDraining: () => draining,
    setSipMessageLog: (enabled) => stack.setSipMessageLog(enabled),
    async start() {
      if (ownsRedis) await redis.connect()
      bound = await stack.start()
      logger.info({ instanceId, listening: Object.fromEntries(bound) }, 'voip-edge started')
      return bound
    },
    async drain() {
      draining = true
      const deadline = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, config.drainTimeoutMs)
        timer.unref()
      })
      const work = [...inFlight, ...[...(calls?.active.values() ?? [])].map((session) => session.ended)]
      await Promise.race([Promise.allSettled(work).then(() => undefined), deadline])
    },
    async stop() {
      draining = true
      // Calls still up after the drain are hung up on both sides and released.
      for (const session of [...(calls?.active.values() ?? [])]) {
        await Promise.allSettled([session.a.dialog?.bye(), session.bDialog?.bye()])
        if (session.a.state === 'early') session.a.reject(503, 'Service Unavailable (shutting down)')
        await session.cleanup('shutdown')
      }
      await stack.close()
      if (ownsMedia) media.close()
      await Promise.allSettled([...inFlight])
      if (ownsRedis) redis.disconnect()
      logger.info({ instanceId }, 'voip-edge stopped')
    },
  }
}

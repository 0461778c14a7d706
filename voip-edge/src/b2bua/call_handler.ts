/**
 * The INVITE pipeline of the B2BUA, written against `SignalingPort` types only. Each step
 * either passes the call on or ends it with a precise status: 403 blocked source or unknown
 * caller domain, 407 challenge, 403 bad credentials, 503 + Retry-After when the app cannot be
 * asked (credentials or routing), then the CXML verbs.
 */
import type { Logger } from 'pino'
import { parseNameAddr, parseUri, formatUri } from '../sip/uri.ts'
import type { Clock } from '../transaction/clock.ts'
import type { CredentialStore } from '../registrar/credential_store.ts'
import type { TrunkStore } from '../registrar/trunk_store.ts'
import type { DigestAuthenticator } from '../registrar/authenticator.ts'
import type { BruteForceGuard } from '../registrar/brute_force_guard.ts'
import type { BindingStore } from '../registrar/binding_store.ts'
import type { RtpEngine } from '../media/rtpengine.ts'
import { APP_UNAVAILABLE_RETRY_AFTER_S, type RouteRequest, type Router } from '../routing/router.ts'
import { CredentialStoreError } from '../registrar/http_credential_store.ts'
import type { DialTarget } from '../routing/cxml.ts'
import { CxmlInterpreter, type DialOutcome, type DialVerb } from '../cxml/interpreter.ts'
import type { MediaServices } from '../cxml/call_media.ts'
import type { ConferenceBridge } from '../conference/bridge.ts'
import type { InboundCall, SignalingPort } from '../signaling/signaling_port.ts'
import { CallSession } from './call_session.ts'
import { dial, type DialTargetBinding } from './dial.ts'
import type { TrunkDialer } from '../trunks/trunk_dialer.ts'
import type { TenantCallLimiter } from '../trunks/call_limits.ts'
import type { CallTransfers, TransferResult } from './transfer.ts'

export interface CallHandlerDeps {
  port: SignalingPort
  clock: Clock
  credentials: CredentialStore
  authenticator: DigestAuthenticator
  guard: BruteForceGuard
  bindings: BindingStore
  media: RtpEngine
  router: Router
  logger: Logger
  /** IP-authenticated carriers; their INVITEs skip the digest challenge. */
  trunks?: TrunkStore
  /** Dials numbers that are no tenant extension through the tenant's SIP trunks. */
  outbound?: TrunkDialer
  /** Per-tenant concurrent-call and calls-per-second caps (503 over the cap). */
  limits?: TenantCallLimiter
  /** Blind transfer (control API, REFER from the B-leg phone). */
  transfers?: CallTransfers
  /** Play/record/DTMF services for Say, Play, Gather and Record; without them they are skipped. */
  mediaServices?: MediaServices
  /** Conference rooms mixed by the edge (`<Dial><Conference>`). */
  conferences?: ConferenceBridge
  /** Called once per finished call (CDR). */
  onCallEnded?(session: CallSession): void
  /** Called on every status transition (M4 session updates). */
  onStatus?(session: CallSession, status: 'processing' | 'ringing' | 'connected' | 'ended'): void
}

const stripTag = (value: string) => value.replace(/;\s*tag\s*=\s*[^;]*/i, '')

export class CallHandler {
  readonly #deps: CallHandlerDeps
  readonly active = new Map<string, CallSession>()

  constructor(deps: CallHandlerDeps) {
    this.#deps = deps
  }

  async handleInvite(call: InboundCall): Promise<void> {
    const log = this.#deps.logger.child({ callId: call.callId })
    try {
      call.progress(100)
      await this.#run(call, log)
    } catch (error) {
      // The app could not be asked who the caller is: it is down or restarting, not broken.
      if (error instanceof CredentialStoreError) {
        log.warn({ err: error }, 'call refused: credentials unavailable')
        call.reject(503, 'Service Unavailable (credentials)', [
          { name: 'retry-after', value: String(APP_UNAVAILABLE_RETRY_AFTER_S) },
        ])
      } else {
        log.error({ err: error }, 'call failed')
        call.reject(500)
      }
      await this.active.get(call.callId)?.cleanup('failed')
    }
  }

  /** Operator hang-up (control API): ends one call on both legs; false when unknown. */
  async hangup(callId: string): Promise<boolean> {
    const session = this.active.get(callId)
    if (!session) return false
    await Promise.allSettled([session.a.dialog?.bye(), session.bDialog?.bye()])
    session.a.reject(480, 'Temporarily Unavailable (hung up by operator)')
    await session.cleanup(session.answeredAt === null ? 'failed' : 'completed')
    return true
  }

  /**
   * rtpengine lost the call's media session: both legs are hung up (a caller still ringing
   * gets 503 with Retry-After, since a new attempt can be anchored again). The call ends
   * when the BYEs are sent: a BYE whose 200 is lost in a burst of hundreds must not keep it
   * listed for Timer F (32 s) — the dialog is gone already, only the BYE is retransmitted.
   */
  async endLostMedia(session: CallSession): Promise<void> {
    if (session.cleanedUp) return
    void Promise.allSettled([session.a.dialog?.bye(), session.bDialog?.bye()])
    session.a.reject(503, 'Service Unavailable (media lost)', [{ name: 'retry-after', value: '5' }])
    await session.cleanup('media_lost')
  }

  /** Shutdown: hang up both legs of every call and release everything. */
  async hangupAll(): Promise<void> {
    for (const session of [...this.active.values()]) {
      await Promise.allSettled([session.a.dialog?.bye(), session.bDialog?.bye()])
      session.a.reject(503, 'Service Unavailable (shutting down)')
      await session.cleanup('shutdown')
    }
  }

  async #run(call: InboundCall, log: Logger): Promise<void> {
    const d = this.#deps
    if ((await d.guard.ipBlockedFor(call.source.address)) > 0) return call.reject(403, 'Forbidden')
    const fromHeader = call.headers('from')[0]
    const from = parseNameAddr(fromHeader)
    const user = from.uri.user === null ? '' : decodeURIComponent(from.uri.user)
    // A trunk is known by its source address: no challenge, the trunk names the tenant.
    const trunk = (await d.trunks?.bySourceIp(call.source.address)) ?? null
    let realm: string
    let organizationId: string
    if (trunk) {
      realm = trunk.realm
      organizationId = trunk.organizationId
    } else {
      realm = from.uri.host
      const tenant = await d.credentials.resolveRealm(realm)
      // An unknown caller domain from an unknown source is never challenged or relayed.
      if (!tenant) return call.reject(403, 'Forbidden')
      organizationId = tenant.organizationId
      const auth = await d.authenticator.authenticate(call, {
        realm,
        organizationId,
        sourceIp: call.source.address,
        proxy: true,
        expectedUser: user,
      })
      if (auth.kind === 'challenge')
        return call.reject(
          407,
          undefined,
          auth.challenges.map((value) => ({ name: 'proxy-authenticate', value })),
        )
      if (auth.kind === 'forbidden') return call.reject(403, auth.reason)
    }
    if (call.state !== 'early') return
    const overLimit = d.limits?.admit(organizationId, call.callId) ?? null
    if (overLimit !== null) {
      log.warn({ organizationId, reason: overLimit }, 'call refused over the tenant limit')
      return call.reject(503, `Service Unavailable (${overLimit})`)
    }

    const session = new CallSession({
      a: call,
      organizationId,
      log: log.child({ organizationId, trunkId: trunk?.trunkId }),
      media: d.media,
      clock: d.clock,
      onEnded: (ended) => {
        this.active.delete(ended.callId)
        d.limits?.release(ended.organizationId, ended.callId)
        try {
          d.onCallEnded?.(ended)
        } catch (error) {
          ended.log.error({ err: error }, 'call end hook failed')
        }
      },
    })
    this.active.set(session.callId, session)
    session.onStatus = d.onStatus ?? null
    call.onCancel(() => void session.cleanup('cancel'))

    const requestUri = parseUri(call.requestUri)
    session.facts = {
      domain: realm,
      from: user,
      to: requestUri.user === null ? '' : decodeURIComponent(requestUri.user),
    }
    session.onStatus?.(session, 'processing')
    const routeRequest: RouteRequest = {
      organizationId,
      callId: call.callId,
      domain: realm,
      from: user,
      to: session.facts.to,
      callerName: from.displayName,
      direction: trunk ? 'inbound' : 'subscriber',
    }
    const leg = { realm, callerUri: stripTag(fromHeader), sdp: call.sdp }
    const interpreter = {
      router: d.router,
      media: d.mediaServices ?? null,
      conferences: d.conferences ?? null,
      dial: (dialing: CallSession, verb: DialVerb) => this.#dialVerb(dialing, verb, leg),
    }
    // A transfer routes the same caller to the target: a new M1, the tenant's rules apply.
    d.transfers?.track(session, (to) =>
      new CxmlInterpreter(session, { ...routeRequest, to }, interpreter).run(),
    )
    await new CxmlInterpreter(session, routeRequest, interpreter).run()
  }

  /** Blind transfer of an answered call (control API). */
  transfer(callId: string, target: string): Promise<TransferResult> {
    return this.#deps.transfers?.transfer(callId, target) ?? Promise.resolve('not-found')
  }

  /** One Dial verb of the CXML interpreter: extensions of the tenant, or its trunks. */
  async #dialVerb(
    session: CallSession,
    verb: DialVerb,
    call: { realm: string; callerUri: string; sdp: string },
  ): Promise<DialOutcome> {
    const outbound = this.#deps.outbound
    const [only] = verb.targets
    const resolved = await this.#resolveTargets(session, verb.targets, call.realm)
    // A single Number that is no extension of the tenant leaves through its trunks, with
    // failover from one trunk to the next.
    if (outbound && verb.targets.length === 1 && only.kind === 'number' && !resolved[0]?.exists)
      return outbound.dial(session, {
        number: only.number,
        callerNumber: session.facts.from,
        sdp: call.sdp,
        timeoutSec: verb.timeoutSec,
      })
    // Several nouns ring in parallel (follow-me): outside numbers join as one trunk fork each.
    let targets = resolved
    if (outbound && verb.targets.length > 1) {
      targets = []
      for (const target of verb.targets) {
        const [own] = await this.#resolveTargets(session, [target], call.realm)
        if (target.kind !== 'number' || own?.exists) {
          if (own) targets.push(own)
          continue
        }
        const fork = await outbound.forkTarget(session, target.number, session.facts.from)
        if (fork) targets.push(fork)
      }
    }
    const result = await dial(session, {
      port: this.#deps.port,
      targets,
      timeoutSec: verb.timeoutSec,
      callerUri: call.callerUri,
      sdp: call.sdp,
    })
    return result
  }

  /** Numbers and SIP URIs are only ever looked up inside the caller's own tenant. */
  async #resolveTargets(
    session: CallSession,
    targets: DialTarget[],
    realm: string,
  ): Promise<DialTargetBinding[]> {
    const d = this.#deps
    const resolved: DialTargetBinding[] = []
    for (const target of targets) {
      let user: string
      if (target.kind === 'number') user = target.number
      else {
        try {
          const uri = parseUri(target.uri)
          if (uri.host !== realm || uri.user === null) {
            session.log.warn(
              { target: target.uri },
              'dial target outside the caller tenant ignored',
            )
            continue
          }
          user = decodeURIComponent(uri.user)
        } catch {
          continue
        }
      }
      const exists = (await d.credentials.lookup(realm, user)) !== null
      const bindings = exists
        ? await d.bindings.list(session.organizationId, `${user}@${realm}`, d.clock.now())
        : []
      resolved.push({
        aorUri: formatUri({
          scheme: 'sip',
          user,
          password: null,
          host: realm,
          port: null,
          params: new Map(),
          headers: null,
        }),
        exists,
        bindings,
      })
    }
    return resolved
  }
}

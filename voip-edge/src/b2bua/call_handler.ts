/**
 * The INVITE pipeline of the B2BUA, written against `SignalingPort` types only. Each step
 * either passes the call on or ends it with a precise status: 403 blocked source or unknown
 * caller domain, 407 challenge, 403 bad credentials, 503 routing failure, then the CXML verbs.
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
import type { FollowUp, RouteRequest, Router } from '../routing/router.ts'
import { parseCxml, rejectStatus, type CxmlVerb, type DialTarget } from '../routing/cxml.ts'
import type { InboundCall, SignalingPort } from '../signaling/signaling_port.ts'
import { CallSession } from './call_session.ts'
import { dial, type DialTargetBinding } from './dial.ts'
import type { TrunkDialer } from '../trunks/trunk_dialer.ts'
import type { TenantCallLimiter } from '../trunks/call_limits.ts'

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
      log.error({ err: error }, 'call failed')
      call.reject(500)
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
    let document: CxmlVerb[]
    try {
      document = parseCxml(await d.router.route(routeRequest))
    } catch (error) {
      session.log.warn({ err: error }, 'routing failed')
      call.reject(503, 'Service Unavailable (routing)')
      return void session.cleanup('failed')
    }
    await this.#execute(session, document, routeRequest, {
      realm,
      callerUri: stripTag(fromHeader),
      sdp: call.sdp,
    })
  }

  /** M2: the next document after a Dial `action` or a `<Redirect>`; null when unusable. */
  async #followUp(
    session: CallSession,
    request: RouteRequest,
    followUp: FollowUp,
  ): Promise<CxmlVerb[] | null> {
    if (!this.#deps.router.followUp) {
      session.log.warn({ url: followUp.url }, 'router cannot follow CXML URLs')
      return null
    }
    try {
      return parseCxml(await this.#deps.router.followUp(request, followUp))
    } catch (error) {
      session.log.warn({ err: error, url: followUp.url }, 'CXML follow-up failed')
      return null
    }
  }

  async #execute(
    session: CallSession,
    first: CxmlVerb[],
    request: RouteRequest,
    call: { realm: string; callerUri: string; sdp: string },
  ): Promise<void> {
    let lastFailure = 480
    let lastReason: string | undefined
    let document = first
    let documents = 1
    // Each Redirect / Dial action replaces the rest of the document (contract §6.4).
    const replace = (next: CxmlVerb[] | null): boolean => {
      if (next === null || ++documents > 10) {
        session.a.reject(
          next === null ? 503 : 500,
          next === null ? 'Service Unavailable (routing)' : 'Too many CXML documents',
        )
        void session.cleanup('failed')
        return false
      }
      document = next
      return true
    }
    for (let index = 0; index < document.length; index++) {
      const verb = document[index]
      if (session.cleanedUp || session.a.state !== 'early') return
      switch (verb.verb) {
        case 'Pause':
          await new Promise<void>((resolve) => session.setTimer(verb.lengthSec * 1000, resolve))
          continue
        case 'Hangup':
          session.a.reject(603, 'Decline')
          return void session.cleanup('rejected')
        case 'Reject':
          session.a.reject(rejectStatus(verb.reason))
          return void session.cleanup(verb.reason === 'busy' ? 'busy' : 'rejected')
        case 'Unsupported':
          session.log.warn({ verb: verb.name }, 'skipping unsupported CXML verb')
          continue
        case 'Redirect':
          if (
            !replace(
              await this.#followUp(session, request, {
                url: verb.url,
                method: verb.method,
                params: {},
              }),
            )
          )
            return
          index = -1
          continue
        case 'Dial': {
          const targets = await this.#resolveTargets(session, verb.targets, call.realm)
          const [only] = verb.targets
          // A single Number that is no extension of the tenant leaves through its trunks.
          const result =
            this.#deps.outbound &&
            verb.targets.length === 1 &&
            only.kind === 'number' &&
            !targets[0]?.exists
              ? await this.#deps.outbound.dial(session, {
                  number: only.number,
                  callerNumber: session.facts.from,
                  sdp: call.sdp,
                  timeoutSec: verb.timeoutSec,
                })
              : await dial(session, {
                  port: this.#deps.port,
                  targets,
                  timeoutSec: verb.timeoutSec,
                  callerUri: call.callerUri,
                  sdp: call.sdp,
                })
          if (result === 'bridged' || session.cleanedUp) return
          lastFailure = result.status
          lastReason = (result as { reason?: string }).reason
          if (verb.action) {
            const status =
              result.status === 486 || result.status >= 600
                ? 'busy'
                : result.status === 480 || result.status === 408
                  ? 'no-answer'
                  : 'failed'
            const params = { DialCallStatus: status, CallStatus: status, DialCallDuration: 0 }
            if (
              !replace(
                await this.#followUp(session, request, {
                  url: verb.action,
                  method: verb.method,
                  params,
                }),
              )
            )
              return
            index = -1
          }
          continue
        }
      }
    }
    if (session.a.state === 'early') {
      session.a.reject(lastFailure, lastReason)
      await session.cleanup(
        lastFailure === 486 ? 'busy' : lastFailure === 480 ? 'noanswer' : 'failed',
      )
    }
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

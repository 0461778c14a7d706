/**
 * CXML `<Dial><Number>` to a number that is no extension of the tenant: the tenant's
 * outbound plan decides (fraud rules, route, rewrite, ordered trunks), then the trunks are
 * tried one after the other within the same call. A trunk that does not answer at all
 * (no provisional in `noResponseMs`), times out (408) or fails with 5xx passes the call to
 * the next trunk; any other final answer (busy, not found, declined…) is the callee's and
 * ends the Dial. A trunk at its `maxChannels` is skipped.
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { Logger } from 'pino'
import type { SignalingPort, SignalingTransport } from '../signaling/signaling_port.ts'
import type { CallSession } from '../b2bua/call_session.ts'
import { dial, type DialResult, type DialTargetBinding } from '../b2bua/dial.ts'
import { decideOutbound, type OutboundTrunk } from './outbound_plan.ts'
import type { OutboundPlanStore } from './plan_store.ts'
import type { TrunkChannels } from './call_limits.ts'

export interface TrunkDialerDeps {
  port: SignalingPort
  plans: OutboundPlanStore
  channels: TrunkChannels
  logger: Logger
  /** How long a trunk may stay silent (no 1xx) before the next one is tried. */
  noResponseMs: number
  /** Host name → address; DNS by default (tests map names to loopback). */
  resolve?(host: string): Promise<string>
}

/** A failed outbound Dial: the SIP status for the caller and why (the reason phrase). */
export type OutboundResult = 'bridged' | { status: number; reason?: string }

/** Trunk-side failures: silence/timeout, 5xx, and a challenge we could not (or must not) answer. */
const failsOver = (status: number) =>
  status === 408 || status === 401 || status === 407 || (status >= 500 && status < 600)

export class TrunkDialer {
  readonly #deps: TrunkDialerDeps

  constructor(deps: TrunkDialerDeps) {
    this.#deps = deps
  }

  async dial(
    session: CallSession,
    request: { number: string; callerNumber: string; sdp: string; timeoutSec: number },
  ): Promise<OutboundResult> {
    const log = session.log.child({ outbound: request.number })
    let plan
    try {
      plan = await this.#deps.plans.plan(session.organizationId)
    } catch (error) {
      // Without the plan the fraud rules cannot be checked: refuse rather than guess.
      log.warn({ err: error }, 'outbound plan unavailable')
      return { status: 503, reason: 'Service Unavailable (outbound plan unavailable)' }
    }
    const decision = decideOutbound(plan, request.number)
    if (!decision.allowed) {
      log.warn(
        { reason: decision.reason, matchedPrefix: decision.matchedPrefix },
        'outbound call refused',
      )
      if (decision.reason === 'no_route')
        return { status: 404, reason: 'Not Found (no outbound route)' }
      if (decision.reason === 'invalid_number')
        return { status: 484, reason: 'Address Incomplete (not a dialable number)' }
      const detail = decision.matchedPrefix
        ? `${decision.reason} ${decision.matchedPrefix}`
        : decision.reason
      return { status: 403, reason: `Forbidden (outbound ${detail})` }
    }
    let last: { status: number; reason?: string } = {
      status: 503,
      reason: 'Service Unavailable (no trunk available)',
    }
    for (const trunk of decision.trunks) {
      if (session.cleanedUp) return { status: 487 }
      if (!this.#deps.channels.acquire(trunk.id, trunk.maxChannels)) {
        log.info({ trunkId: trunk.id }, 'trunk at its channel limit, trying the next one')
        last = { status: 503, reason: 'Service Unavailable (trunk channels busy)' }
        continue
      }
      let result: DialResult
      try {
        result = await this.#attempt(session, trunk, decision.dialledNumber, request)
      } catch (error) {
        log.warn({ err: error, trunkId: trunk.id }, 'trunk unreachable')
        result = { status: 503 }
      }
      if (result === 'bridged') {
        void session.ended.then(() => this.#deps.channels.release(trunk.id))
        log.info({ trunkId: trunk.id }, 'outbound call bridged')
        return 'bridged'
      }
      this.#deps.channels.release(trunk.id)
      log.info({ trunkId: trunk.id, status: result.status }, 'trunk attempt failed')
      // The caller must never see the carrier's challenge: it is not theirs to answer.
      last =
        result.status === 401 || result.status === 407
          ? { status: 503, reason: 'Service Unavailable (trunk authentication failed)' }
          : { status: result.status }
      if (!failsOver(result.status)) return last
    }
    return last
  }

  async #attempt(
    session: CallSession,
    trunk: OutboundTrunk,
    number: string,
    request: { callerNumber: string; sdp: string; timeoutSec: number },
  ): Promise<DialResult> {
    const target = await this.#target(trunk, number, request.callerNumber)
    return dial(session, {
      port: this.#deps.port,
      targets: [target],
      timeoutSec: request.timeoutSec,
      callerUri: target.from!,
      sdp: request.sdp,
      noResponseMs: this.#deps.noResponseMs,
    })
  }

  /**
   * One fork of a parallel Dial (follow-me: the user's phones and an outside number ring
   * together): the plan is checked as for any outbound call, the first trunk with a free
   * channel carries it, without failover. The channel is held until the call ends.
   */
  async forkTarget(
    session: CallSession,
    number: string,
    callerNumber: string,
  ): Promise<DialTargetBinding | null> {
    let plan
    try {
      plan = await this.#deps.plans.plan(session.organizationId)
    } catch (error) {
      session.log.warn({ err: error }, 'outbound plan unavailable')
      return null
    }
    const decision = decideOutbound(plan, number)
    if (!decision.allowed) {
      session.log.warn(
        { outbound: number, reason: decision.reason, matchedPrefix: decision.matchedPrefix },
        'outbound fork refused',
      )
      return null
    }
    for (const trunk of decision.trunks) {
      if (!this.#deps.channels.acquire(trunk.id, trunk.maxChannels)) continue
      void session.ended.then(() => this.#deps.channels.release(trunk.id))
      try {
        return await this.#target(trunk, decision.dialledNumber, callerNumber)
      } catch (error) {
        session.log.warn({ err: error, trunkId: trunk.id }, 'trunk unreachable')
      }
    }
    return null
  }

  async #target(
    trunk: OutboundTrunk,
    number: string,
    callerNumber: string,
  ): Promise<DialTargetBinding> {
    const resolve =
      this.#deps.resolve ??
      (async (host: string) => {
        const found = await lookup(host)
        return found.address
      })
    const address = isIP(trunk.host) ? trunk.host : await resolve(trunk.host)
    const protocol: SignalingTransport = trunk.transport
    const transport = protocol === 'udp' ? '' : `;transport=${protocol}`
    const requestUri = `sip:${encodeURIComponent(number)}@${trunk.host}:${trunk.port}${transport}`
    const callerId =
      trunk.passCallerId || !trunk.callerIdNumber ? callerNumber : trunk.callerIdNumber
    const fromUser = encodeURIComponent(callerId || trunk.username || 'anonymous')
    return {
      aorUri: `sip:${encodeURIComponent(number)}@${trunk.host}`,
      exists: true,
      from: `<sip:${fromUser}@${trunk.host}>`,
      credentials:
        trunk.username && trunk.password
          ? { username: trunk.username, password: trunk.password }
          : undefined,
      bindings: [
        {
          contact: requestUri,
          expiresAt: Number.MAX_SAFE_INTEGER,
          callId: '',
          cseq: 0,
          q: null,
          // The peer is the configured trunk host: digest challenges are answered only
          // when they come from this address (UacInvite).
          source: { protocol, address, port: trunk.port, flowId: null },
          edgeInstance: '',
          extensionId: '',
        },
      ],
    }
  }
}

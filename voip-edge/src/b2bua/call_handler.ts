/**
 * The INVITE pipeline of the B2BUA. Each step either passes the call on or ends it with a
 * precise status: 403 unknown realm or blocked source, 407 challenge, 403 bad credentials,
 * 503 routing/media failure, then the CXML verbs (Dial, Hangup, Reject, Pause).
 */
import type { Logger } from 'pino'
import type { SipRequest } from '../sip/message.ts'
import { getHeader } from '../sip/message.ts'
import { parseNameAddr, parseUri, formatUri } from '../sip/uri.ts'
import type { SipStack } from '../stack/sip_stack.ts'
import type { ServerTransaction } from '../transaction/server_transaction.ts'
import type { Clock, TimerValues } from '../transaction/clock.ts'
import type { Destination } from '../transaction/types.ts'
import { serverKey } from '../transaction/transaction_layer.ts'
import type { DialogRegistry } from '../dialog/dialog.ts'
import type { LocalIdentity } from '../dialog/local_identity.ts'
import { UasInvite, stripTag } from '../dialog/uas_invite.ts'
import type { CredentialStore } from '../registrar/credential_store.ts'
import type { DigestAuthenticator } from '../registrar/authenticator.ts'
import type { BruteForceGuard } from '../registrar/brute_force_guard.ts'
import type { BindingStore } from '../registrar/binding_store.ts'
import type { RtpEngine } from '../media/rtpengine.ts'
import type { Router } from '../routing/router.ts'
import { parseCxml, rejectStatus, type CxmlVerb } from '../routing/cxml.ts'
import { CallSession } from './call_session.ts'
import { dial, type DialTargetBinding } from './dial.ts'

export interface CallHandlerDeps {
  stack: SipStack
  local: () => LocalIdentity
  clock: Clock
  timers: TimerValues
  registry: DialogRegistry
  credentials: CredentialStore
  authenticator: DigestAuthenticator
  guard: BruteForceGuard
  bindings: BindingStore
  media: RtpEngine
  router: Router
  logger: Logger
}

export class CallHandler {
  readonly #deps: CallHandlerDeps
  readonly #pending = new Map<string, UasInvite>()
  readonly active = new Map<string, CallSession>()

  constructor(deps: CallHandlerDeps) {
    this.#deps = deps
  }

  /** CANCEL matches the INVITE server transaction with the same branch (§9.2). */
  handleCancel(cancel: SipRequest, transaction: ServerTransaction): boolean {
    const uas = this.#pending.get(serverKey({ ...cancel, method: 'INVITE' }))
    if (!uas) return false
    uas.cancelReceived(cancel, transaction)
    return true
  }

  async handleInvite(request: SipRequest, transaction: ServerTransaction, source: Destination): Promise<void> {
    const d = this.#deps
    const uas = new UasInvite({ stack: d.stack, local: d.local(), clock: d.clock, timers: d.timers, registry: d.registry, request, transaction, source })
    const key = serverKey(request)
    this.#pending.set(key, uas)
    const log = d.logger.child({ callId: uas.callId })
    try {
      uas.provisional(100)
      await this.#run(uas, request, source, log)
    } catch (error) {
      log.error({ err: error }, 'call failed')
      uas.reject(500)
    } finally {
      this.#pending.delete(key)
    }
  }

  async #run(uas: UasInvite, request: SipRequest, source: Destination, log: Logger): Promise<void> {
    const d = this.#deps
    if ((await d.guard.ipBlockedFor(source.address)) > 0) return uas.reject(403, 'Forbidden')
    const from = parseNameAddr(getHeader(request, 'from')!)
    const realm = from.uri.host
    const user = from.uri.user === null ? '' : decodeURIComponent(from.uri.user)
    const tenant = await d.credentials.resolveRealm(realm)
    // An unknown caller domain is never challenged or relayed.
    if (!tenant) return uas.reject(403, 'Forbidden')
    const auth = await d.authenticator.authenticate(request, { realm, organizationId: tenant.organizationId, sourceIp: source.address, proxy: true, expectedUser: user })
    if (auth.kind === 'challenge') return uas.reject(407, undefined, auth.challenges.map((value) => ({ name: 'proxy-authenticate', value })))
    if (auth.kind === 'forbidden') return uas.reject(403, auth.reason)
    if (uas.state !== 'early') return

    const session = new CallSession({
      a: uas,
      organizationId: tenant.organizationId,
      log: log.child({ organizationId: tenant.organizationId }),
      media: d.media,
      clock: d.clock,
      registry: d.registry,
      onEnded: (ended) => this.active.delete(ended.callId),
    })
    this.active.set(session.callId, session)
    uas.onCancel = () => void session.cleanup('cancel')

    const requestUri = parseUri(request.uri)
    let document: CxmlVerb[]
    try {
      const cxml = await d.router.route({
        organizationId: tenant.organizationId,
        callId: uas.callId,
        domain: realm,
        from: user,
        to: requestUri.user === null ? '' : decodeURIComponent(requestUri.user),
        callerName: from.displayName,
        direction: 'subscriber',
      })
      document = parseCxml(cxml)
    } catch (error) {
      session.log.warn({ err: error }, 'routing failed')
      uas.reject(503, 'Service Unavailable (routing)')
      return void session.cleanup('failed')
    }
    await this.#execute(session, document, { realm, callerUri: stripTag(getHeader(request, 'from')!), sdp: request.body.toString('latin1') })
  }

  async #execute(session: CallSession, document: CxmlVerb[], call: { realm: string; callerUri: string; sdp: string }): Promise<void> {
    let lastFailure = 480
    for (const verb of document) {
      if (session.cleanedUp || session.a.state !== 'early') return
      switch (verb.verb) {
        case 'Pause':
          await new Promise<void>((resolve) => session.setTimer(verb.lengthSec * 1000, resolve))
          continue
        case 'Hangup':
          session.a.reject(603, 'Decline')
          return void session.cleanup('rejected')
        case 'Reject': {
          session.a.reject(rejectStatus(verb.reason))
          return void session.cleanup(verb.reason === 'busy' ? 'busy' : 'rejected')
        }
        case 'Unsupported':
          session.log.warn({ verb: verb.name }, 'skipping unsupported CXML verb')
          continue
        case 'Dial': {
          const targets = await this.#resolveTargets(session, verb.targets, call.realm)
          const result = await dial(session, {
            ...this.#deps,
            local: this.#deps.local(),
            targets,
            timeoutSec: verb.timeoutSec,
            callerUri: call.callerUri,
            sdp: call.sdp,
          })
          if (result === 'bridged' || session.cleanedUp) return
          lastFailure = result.status
          continue
        }
      }
    }
    if (session.a.state === 'early') {
      session.a.reject(lastFailure, lastFailure === 486 ? 'Busy Here' : undefined)
      await session.cleanup(lastFailure === 486 ? 'busy' : lastFailure === 480 ? 'noanswer' : 'failed')
    }
  }

  /** Numbers and SIP URIs are only ever looked up inside the caller's own tenant. */
  async #resolveTargets(session: CallSession, targets: Array<{ kind: 'number'; number: string } | { kind: 'sip'; uri: string }>, realm: string): Promise<DialTargetBinding[]> {
    const d = this.#deps
    const resolved: DialTargetBinding[] = []
    for (const target of targets) {
      let user: string
      if (target.kind === 'number') user = target.number
      else {
        try {
          const uri = parseUri(target.uri)
          if (uri.host !== realm || uri.user === null) {
            session.log.warn({ target: target.uri }, 'dial target outside the caller tenant ignored')
            continue
          }
          user = decodeURIComponent(uri.user)
        } catch {
          continue
        }
      }
      const exists = (await d.credentials.lookup(realm, user)) !== null
      const bindings = exists ? await d.bindings.list(session.organizationId, `${user}@${realm}`, d.clock.now()) : []
      resolved.push({ aorUri: formatUri({ scheme: 'sip', user, password: null, host: realm, port: null, params: new Map(), headers: null }), exists, bindings })
    }
    return resolved
  }
}

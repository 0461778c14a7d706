/**
 * `SignalingPort` on the native TypeScript SIP core: owns the stack's request dispatch
 * (new INVITEs, CANCEL matching, in-dialog requests, 2xx ACKs, REGISTER, OPTIONS) so the
 * layers above only ever see port types.
 */
import type { Logger } from 'pino'
import type { SipRequest, SipResponse } from '../sip/message.ts'
import { getHeader, getHeaders, parseCSeq, splitList, tagOf } from '../sip/message.ts'
import { buildResponse } from '../sip/serializer.ts'
import { newBranch } from '../sip/via.ts'
import type { ParseLimits } from '../sip/parser.ts'
import { SipStack, type RequestContext } from '../stack/sip_stack.ts'
import type { Transport, Endpoint, TransportProtocol } from '../transport/transport.ts'
import type { ServerTransaction } from '../transaction/server_transaction.ts'
import { serverKey } from '../transaction/transaction_layer.ts'
import { DEFAULT_TIMERS, type Clock, type TimerValues } from '../transaction/clock.ts'
import { DialogRegistry } from '../dialog/dialog.ts'
import { newCallId, newTag, type LocalIdentity } from '../dialog/local_identity.ts'
import { UasInvite } from '../dialog/uas_invite.ts'
import { UacInvite } from '../dialog/uac_invite.ts'
import { answerChallenge } from '../trunks/digest_client.ts'
import type {
  DialogRequestOptions,
  InboundSubscribe,
  SubscribeReply,
  InboundCall,
  InboundRegister,
  OutboundCall,
  OutboundCallOptions,
  RegisterReply,
  SignalingPeer,
  SignalingPort,
} from './signaling_port.ts'

export interface NativePortOptions {
  transports: Transport[]
  clock: Clock
  logger: Logger
  advertisedHost: string
  limits?: ParseLimits
  timers?: Partial<TimerValues>
  blockIps?: string[]
  sipMessageLog?: boolean
  maxServerTransactions?: number
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, SUBSCRIBE'

export class NativeSignalingPort implements SignalingPort {
  readonly stack: SipStack
  readonly dialogs = new DialogRegistry()
  readonly local: LocalIdentity
  readonly #options: NativePortOptions
  readonly #timers: TimerValues
  readonly #pending = new Map<string, UasInvite>()
  #bound = new Map<TransportProtocol, Endpoint>()
  #inviteHandler: ((call: InboundCall) => void) | null = null
  #registerHandler: ((register: InboundRegister) => Promise<RegisterReply>) | null = null
  #subscribeHandler: ((subscribe: InboundSubscribe) => Promise<SubscribeReply>) | null = null

  constructor(options: NativePortOptions) {
    this.#options = options
    this.#timers = { ...DEFAULT_TIMERS, ...options.timers }
    const host = options.advertisedHost
    this.local = {
      sentBy: (protocol) => `${host}:${this.#bound.get(protocol)?.port ?? 5060}`,
      contact: (protocol) =>
        `<sip:edge@${host}:${this.#bound.get(protocol)?.port ?? 5060};transport=${protocol}>`,
    }
    this.stack = new SipStack({
      transports: options.transports,
      clock: options.clock,
      logger: options.logger,
      limits: options.limits,
      timers: options.timers,
      blockIps: options.blockIps,
      sipMessageLog: options.sipMessageLog,
      maxServerTransactions: options.maxServerTransactions,
      onRequest: (request, transaction, context) => this.#dispatch(request, transaction, context),
      onAck: (ack) =>
        this.dialogs
          .forRequest(
            getHeader(ack, 'call-id')!,
            tagOf(getHeader(ack, 'to') ?? ''),
            tagOf(getHeader(ack, 'from') ?? ''),
          )
          ?.ackReceived(parseCSeq(getHeader(ack, 'cseq') ?? '')?.seq),
      onStrayResponse: (response) => this.#onStrayResponse(response),
    })
  }

  async start(): Promise<Map<TransportProtocol, Endpoint>> {
    this.#bound = await this.stack.start()
    return this.#bound
  }

  close(): Promise<void> {
    return this.stack.close()
  }

  onInvite(handler: (call: InboundCall) => void): void {
    this.#inviteHandler = handler
  }

  onRegister(handler: (register: InboundRegister) => Promise<RegisterReply>): void {
    this.#registerHandler = handler
  }

  onSubscribe(handler: (subscribe: InboundSubscribe) => Promise<SubscribeReply>): void {
    this.#subscribeHandler = handler
  }

  sendDialogRequest(options: DialogRequestOptions): Promise<number> {
    const { peer } = options
    const request: SipRequest = {
      kind: 'request',
      method: options.method,
      uri: options.target,
      headers: [
        {
          name: 'via',
          value: `SIP/2.0/${peer.protocol.toUpperCase()} ${this.local.sentBy(peer.protocol)};branch=${newBranch()};rport`,
        },
        { name: 'max-forwards', value: '70' },
        { name: 'from', value: options.from },
        { name: 'to', value: options.to },
        { name: 'call-id', value: options.callId },
        { name: 'cseq', value: `${options.cseq} ${options.method}` },
        { name: 'contact', value: this.local.contact(peer.protocol) },
        ...(options.headers ?? []),
      ],
      body: Buffer.from(options.body ?? '', 'latin1'),
    }
    return new Promise((resolve) => {
      this.stack.sendRequest(request, peer, {
        onResponse: (response) => response.status >= 200 && resolve(response.status),
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      })
    })
  }

  createUac(options: OutboundCallOptions): OutboundCall {
    const call = new UacInvite({
      stack: this.stack,
      clock: this.#options.clock,
      timers: this.#timers,
      local: this.local,
      registry: this.dialogs,
      target: options.target,
      destination: options.peer,
      from: options.from,
      to: options.to,
      sdp: options.localSdp,
      headers: options.headers,
      credentials: options.credentials,
      onProvisional: options.onProvisional
        ? (response) =>
            options.onProvisional!(
              response.status,
              response.body.length > 0 ? response.body.toString('latin1') : null,
              tagOf(getHeader(response, 'to') ?? '') ?? null,
            )
        : undefined,
    })
    call.start()
    return call
  }

  request(options: {
    method: string
    target: string
    peer: SignalingPeer
    from: string
    to: string
  }): Promise<number> {
    const { peer } = options
    const request: SipRequest = {
      kind: 'request',
      method: options.method,
      uri: options.target,
      headers: [
        {
          name: 'via',
          value: `SIP/2.0/${peer.protocol.toUpperCase()} ${this.local.sentBy(peer.protocol)};branch=${newBranch()};rport`,
        },
        { name: 'max-forwards', value: '70' },
        { name: 'from', value: `${options.from};tag=${newTag()}` },
        { name: 'to', value: options.to },
        { name: 'call-id', value: newCallId(this.#options.advertisedHost) },
        { name: 'cseq', value: `1 ${options.method}` },
      ],
      body: Buffer.alloc(0),
    }
    return new Promise((resolve) => {
      this.stack.sendRequest(request, peer, {
        onResponse: (response) => response.status >= 200 && resolve(response.status),
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      })
    })
  }

  /**
   * Our REGISTER to a carrier (trunk registration). A 401/407 is answered once with the
   * credentials, and only when it came from `peer`: the trunk's configured host.
   */
  register(options: {
    registrar: string
    peer: SignalingPeer
    aor: string
    expires: number
    callId: string
    cseq: number
    credentials: { username: string; password: string } | null
  }): Promise<{ status: number; expires: number | null; cseq: number }> {
    const { peer } = options
    const fromTag = newTag()
    const build = (cseq: number, authorization: { name: string; value: string } | null) => {
      const request: SipRequest = {
        kind: 'request',
        method: 'REGISTER',
        uri: options.registrar,
        headers: [
          {
            name: 'via',
            value: `SIP/2.0/${peer.protocol.toUpperCase()} ${this.local.sentBy(peer.protocol)};branch=${newBranch()};rport`,
          },
          { name: 'max-forwards', value: '70' },
          { name: 'from', value: `<${options.aor}>;tag=${fromTag}` },
          { name: 'to', value: `<${options.aor}>` },
          { name: 'call-id', value: options.callId },
          { name: 'cseq', value: `${cseq} REGISTER` },
          { name: 'contact', value: this.local.contact(peer.protocol) },
          { name: 'expires', value: String(options.expires) },
          ...(authorization ? [authorization] : []),
        ],
        body: Buffer.alloc(0),
      }
      return request
    }
    const send = (
      cseq: number,
      authorization: { name: string; value: string } | null,
    ): Promise<{ status: number; expires: number | null; cseq: number }> =>
      new Promise((resolve) => {
        this.stack.sendRequest(build(cseq, authorization), peer, {
          onResponse: (response, source) => {
            if (response.status < 200) return
            const fromPeer = !source || source.address.replace(/^::ffff:/, '') === peer.address
            if (
              (response.status === 401 || response.status === 407) &&
              authorization === null &&
              options.credentials &&
              fromPeer
            ) {
              const proxy = response.status === 407
              const value = answerChallenge(
                getHeaders(response, proxy ? 'proxy-authenticate' : 'www-authenticate'),
                options.credentials,
                { method: 'REGISTER', uri: options.registrar },
              )
              if (value !== null) {
                resolve(
                  send(cseq + 1, { name: proxy ? 'proxy-authorization' : 'authorization', value }),
                )
                return
              }
            }
            resolve({ status: response.status, expires: grantedExpiry(response), cseq })
          },
          onTimeout: () => resolve({ status: 408, expires: null, cseq }),
          onTransportError: () => resolve({ status: 503, expires: null, cseq }),
        })
      })
    return send(options.cseq, null)
  }

  #respond(
    transaction: ServerTransaction,
    request: SipRequest,
    status: number,
    reason?: string,
    headers?: Array<{ name: string; value: string }>,
  ): void {
    transaction.respond(buildResponse(request, status, { reason, headers, toTag: newTag() }))
  }

  #dispatch(request: SipRequest, transaction: ServerTransaction, context: RequestContext): void {
    const toTag = tagOf(getHeader(request, 'to') ?? '')
    // Subscription dialogs (refreshes carry the to-tag) are kept by the subscribe handler.
    if (request.method === 'SUBSCRIBE' && this.#subscribeHandler)
      return this.#onSubscribe(request, transaction, context, toTag ?? null)
    if (toTag !== undefined && !['CANCEL', 'REGISTER', 'OPTIONS'].includes(request.method)) {
      const dialog = this.dialogs.forRequest(
        getHeader(request, 'call-id')!,
        toTag,
        tagOf(getHeader(request, 'from') ?? ''),
      )
      if (dialog) dialog.receiveRequest(request, transaction)
      else this.#respond(transaction, request, 481)
      return
    }
    if (
      getHeader(request, 'max-forwards') === '0' &&
      request.method !== 'OPTIONS' &&
      request.method !== 'REGISTER'
    ) {
      return this.#respond(transaction, request, 483)
    }
    switch (request.method) {
      case 'INVITE':
        return this.#onInvite(request, transaction, context)
      case 'CANCEL': {
        const call = this.#pending.get(serverKey({ ...request, method: 'INVITE' }))
        if (call) call.cancelReceived(request, transaction)
        else this.#respond(transaction, request, 481)
        return
      }
      case 'REGISTER':
        return this.#onRegister(request, transaction, context)
      case 'OPTIONS':
        return this.#respond(transaction, request, 200, 'OK', [
          { name: 'allow', value: ALLOW },
          { name: 'accept', value: 'application/sdp' },
        ])
      case 'BYE':
        return this.#respond(transaction, request, 481)
      default:
        return this.#respond(transaction, request, 405, undefined, [
          { name: 'allow', value: ALLOW },
        ])
    }
  }

  #onInvite(request: SipRequest, transaction: ServerTransaction, context: RequestContext): void {
    if (!this.#inviteHandler)
      return this.#respond(transaction, request, 480, 'Temporarily Unavailable (no call handler)')
    const call = new UasInvite({
      stack: this.stack,
      local: this.local,
      clock: this.#options.clock,
      timers: this.#timers,
      registry: this.dialogs,
      request,
      transaction,
      source: context.source,
    })
    const key = serverKey(request)
    this.#pending.set(key, call)
    // A CANCEL can only matter while the INVITE transaction lives (≤ 64·T1).
    this.#options.clock.setTimer(64 * this.#timers.T1, () => this.#pending.delete(key))
    this.#inviteHandler(call)
  }

  #onRegister(request: SipRequest, transaction: ServerTransaction, context: RequestContext): void {
    if (!this.#registerHandler) return this.#respond(transaction, request, 501)
    const view: InboundRegister = {
      headers: (name) => getHeaders(request, name),
      requestUri: request.uri,
      source: context.source,
    }
    this.#registerHandler(view).then(
      (reply) => this.#respond(transaction, request, reply.status, reply.reason, reply.headers),
      (error: unknown) => {
        // Redis or the credential store failed: ask the phone to retry later.
        this.#options.logger.error({ err: error }, 'register handler failed')
        this.#respond(transaction, request, 503, 'Service Unavailable', [
          { name: 'retry-after', value: '30' },
        ])
      },
    )
  }

  #onSubscribe(
    request: SipRequest,
    transaction: ServerTransaction,
    context: RequestContext,
    toTag: string | null,
  ): void {
    const view: InboundSubscribe = {
      headers: (name) => getHeaders(request, name),
      requestUri: request.uri,
      source: context.source,
      callId: getHeader(request, 'call-id') ?? '',
      fromTag: tagOf(getHeader(request, 'from') ?? '') ?? null,
      toTag,
    }
    this.#subscribeHandler!(view).then(
      (reply) =>
        transaction.respond(
          buildResponse(request, reply.status, {
            reason: reply.reason,
            // A 2xx creates the subscription dialog: NOTIFY refreshes come to our Contact.
            headers:
              reply.status >= 200 && reply.status < 300
                ? [
                    ...(reply.headers ?? []),
                    { name: 'contact', value: this.local.contact(context.source.protocol) },
                  ]
                : reply.headers,
            toTag: reply.toTag ?? newTag(),
          }),
        ),
      (error: unknown) => {
        this.#options.logger.error({ err: error }, 'subscribe handler failed')
        this.#respond(transaction, request, 503, 'Service Unavailable', [
          { name: 'retry-after', value: '30' },
        ])
      },
    )
  }

  #onStrayResponse(response: SipResponse): void {
    // A retransmitted 2xx means our ACK was lost: send it again (§13.2.2.4).
    if (
      response.status < 200 ||
      response.status >= 300 ||
      parseCSeq(getHeader(response, 'cseq') ?? '')?.method !== 'INVITE'
    )
      return
    this.dialogs
      .forResponse(
        response,
        tagOf(getHeader(response, 'from') ?? ''),
        tagOf(getHeader(response, 'to') ?? ''),
      )
      ?.resendAck?.()
  }
}

/** The expiry a registrar granted: our Contact's `expires` parameter, else the Expires header. */
function grantedExpiry(response: SipResponse): number | null {
  for (const contact of getHeaders(response, 'contact').flatMap((value) => splitList(value))) {
    const match = /;\s*expires\s*=\s*(\d+)/i.exec(contact)
    if (match) return Number(match[1])
  }
  const header = getHeader(response, 'expires')
  return header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : null
}

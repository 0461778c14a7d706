/**
 * The calling side of an outgoing INVITE (a B-leg): provisional callbacks, the ACK for 2xx
 * (end to end, re-sent for every retransmitted 2xx), and CANCEL with the INVITE's branch.
 */
import type { SipRequest, SipResponse } from '../sip/message.ts'
import { getHeader, tagOf } from '../sip/message.ts'
import { newBranch } from '../sip/via.ts'
import { parseNameAddr, formatUri } from '../sip/uri.ts'
import type { SipStack } from '../stack/sip_stack.ts'
import type { Destination } from '../transaction/types.ts'
import type { ClientTransaction } from '../transaction/client_transaction.ts'
import { Dialog, type DialogRegistry } from './dialog.ts'
import { newCallId, newTag, type LocalIdentity } from './local_identity.ts'
import type { OutboundCall } from '../signaling/signaling_port.ts'
import type { Clock, TimerValues } from '../transaction/clock.ts'
import { answerChallenge, type ClientCredentials } from '../trunks/digest_client.ts'

export type UacOutcome =
  | { kind: 'answered'; dialog: Dialog; sdp: string }
  | { kind: 'failed'; status: number; reason: string }

export interface UacInit {
  stack: SipStack
  clock?: Clock
  timers?: TimerValues
  local: LocalIdentity
  registry: DialogRegistry
  /** Request-URI (the registered contact) and where to send it. */
  target: string
  destination: Destination
  /** From/To header values without tags. */
  from: string
  to: string
  sdp: string
  /** Extra headers of the INVITE (e.g. P-Asserted-Identity towards a carrier). */
  headers?: Array<{ name: string; value: string }>
  /**
   * Digest credentials (trunks): one 401/407 is answered, and only when it comes from the
   * address the INVITE was sent to, so nobody else can make us compute a response.
   */
  credentials?: ClientCredentials
  onProvisional?(response: SipResponse): void
}

export class UacInvite implements OutboundCall {
  readonly callId: string
  readonly localTag = newTag()
  /** The INVITE in flight (the authenticated resend replaces the first one). */
  request: SipRequest
  readonly outcome: Promise<UacOutcome>
  readonly #init: UacInit
  #transaction: ClientTransaction | null = null
  #provisionalSeen = false
  #cancelRequested = false
  #settled = false
  #cseq = 1
  #resolve!: (outcome: UacOutcome) => void

  constructor(init: UacInit) {
    this.#init = init
    const { destination, local } = init
    this.callId = newCallId(local.sentBy(destination.protocol).split(':')[0])
    this.request = {
      kind: 'request',
      method: 'INVITE',
      uri: init.target,
      headers: [
        {
          name: 'via',
          value: `SIP/2.0/${destination.protocol.toUpperCase()} ${local.sentBy(destination.protocol)};branch=${newBranch()};rport`,
        },
        { name: 'max-forwards', value: '70' },
        { name: 'from', value: `${init.from};tag=${this.localTag}` },
        { name: 'to', value: init.to },
        { name: 'call-id', value: this.callId },
        { name: 'cseq', value: '1 INVITE' },
        { name: 'contact', value: local.contact(destination.protocol) },
        { name: 'allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY' },
        ...(init.headers ?? []),
        { name: 'content-type', value: 'application/sdp' },
      ],
      body: Buffer.from(init.sdp),
    }
    this.outcome = new Promise((resolve) => (this.#resolve = resolve))
  }

  start(): void {
    this.#send()
  }

  #send(): void {
    this.#transaction = this.#init.stack.sendRequest(this.request, this.#init.destination, {
      onResponse: (response, source) => this.#onResponse(response, source),
      onTimeout: () => this.#settle({ kind: 'failed', status: 408, reason: 'Request Timeout' }),
      onTransportError: () =>
        this.#settle({ kind: 'failed', status: 503, reason: 'Service Unavailable' }),
    })
  }

  #settle(outcome: UacOutcome): void {
    if (this.#settled) return
    this.#settled = true
    this.#resolve(outcome)
  }

  #onResponse(response: SipResponse, source?: Destination): void {
    if (response.status < 200) {
      this.#provisionalSeen = true
      if (this.#cancelRequested) this.#sendCancel()
      else if (response.status > 100) this.#init.onProvisional?.(response)
      return
    }
    if (
      (response.status === 401 || response.status === 407) &&
      this.#retryWithAuth(response, source)
    )
      return
    if (response.status >= 300) {
      this.#settle({ kind: 'failed', status: response.status, reason: response.reason })
      return
    }
    const toTag = tagOf(getHeader(response, 'to') ?? '') ?? ''
    const contact = getHeader(response, 'contact')
    const dialog = new Dialog({
      stack: this.#init.stack,
      local: this.#init.local,
      callId: this.callId,
      localTag: this.localTag,
      remoteTag: toTag,
      localUri: this.#init.from,
      remoteUri: this.#init.to,
      remoteTarget: contact ? formatUri(parseNameAddr(contact).uri) : this.#init.target,
      localSeq: this.#cseq,
      destination: this.#init.destination,
      clock: this.#init.clock,
      timers: this.#init.timers,
    })
    this.#init.registry.add(dialog)
    dialog.resendAck = () => this.ack(dialog)
    this.ack(dialog)
    if (this.#settled) {
      // Answered after we gave up on it (a CANCEL/answer race or a losing fork): hang up.
      void dialog.bye().finally(() => this.#init.registry.remove(dialog))
      return
    }
    this.#settle({ kind: 'answered', dialog, sdp: response.body.toString('latin1') })
  }

  /** Sends (or re-sends, for a retransmitted 2xx) the ACK for the 2xx. */
  ack(dialog: Dialog): void {
    const ack = dialog.buildRequest('ACK', { seq: this.#cseq })
    void this.#init.stack.send(ack, this.#init.destination).catch(() => undefined)
  }

  /** Cancels a pending INVITE; a CANCEL may only follow a provisional response (§9.1). */
  cancel(): void {
    if (this.#cancelRequested || this.#settled) return
    this.#cancelRequested = true
    if (this.#provisionalSeen) this.#sendCancel()
  }

  #sendCancel(): void {
    const copy = (name: string) => this.request.headers.find((header) => header.name === name)!
    const cancel: SipRequest = {
      kind: 'request',
      method: 'CANCEL',
      uri: this.request.uri,
      headers: [
        copy('via'),
        copy('max-forwards'),
        copy('from'),
        copy('to'),
        copy('call-id'),
        { name: 'cseq', value: `${this.#cseq} CANCEL` },
      ],
      body: Buffer.alloc(0),
    }
    this.#init.stack.sendRequest(cancel, this.#init.destination, {
      onResponse() {},
      onTimeout() {},
      onTransportError() {},
    })
  }

  /**
   * Resends the INVITE once with credentials (RFC 3261 §22.2): same Call-ID and From tag, a
   * new branch and CSeq. False when there is nothing to answer with, it was already tried,
   * the challenge came from another address, or the CANCEL was already requested.
   */
  #retryWithAuth(response: SipResponse, source?: Destination): boolean {
    const credentials = this.#init.credentials
    if (!credentials || this.#cseq > 1 || this.#cancelRequested) return false
    if (source && source.address.replace(/^::ffff:/, '') !== this.#init.destination.address)
      return false
    const proxy = response.status === 407
    const challenges = response.headers
      .filter((header) => header.name === (proxy ? 'proxy-authenticate' : 'www-authenticate'))
      .map((header) => header.value)
    const authorization = answerChallenge(challenges, credentials, {
      method: 'INVITE',
      uri: this.request.uri,
    })
    if (authorization === null) return false
    this.#cseq = 2
    const { destination, local } = this.#init
    this.request = {
      ...this.request,
      headers: [
        ...this.request.headers.map((header) =>
          header.name === 'via'
            ? {
                name: 'via',
                value: `SIP/2.0/${destination.protocol.toUpperCase()} ${local.sentBy(destination.protocol)};branch=${newBranch()};rport`,
              }
            : header.name === 'cseq'
              ? { name: 'cseq', value: '2 INVITE' }
              : header,
        ),
        { name: proxy ? 'proxy-authorization' : 'authorization', value: authorization },
      ],
    }
    this.#provisionalSeen = false
    this.#send()
    return true
  }

  get transaction(): ClientTransaction | null {
    return this.#transaction
  }
}

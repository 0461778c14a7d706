/**
 * The answering side of an incoming INVITE (our A-leg): provisional and final responses,
 * CANCEL (→ 200 + 487), and 2xx retransmission until the ACK arrives (§13.3.1.4), which
 * the transaction layer leaves to us.
 */
import type { SipRequest } from '../sip/message.ts'
import { getHeader, getHeaders, parseCSeq, tagOf } from '../sip/message.ts'
import type { InboundCall, ExtraHeader } from '../signaling/signaling_port.ts'
import { buildResponse } from '../sip/serializer.ts'
import { parseNameAddr, formatUri } from '../sip/uri.ts'
import type { SipStack } from '../stack/sip_stack.ts'
import type { ServerTransaction } from '../transaction/server_transaction.ts'
import type { Clock, TimerHandle, TimerValues } from '../transaction/clock.ts'
import type { Destination } from '../transaction/types.ts'
import { Dialog, type DialogRegistry } from './dialog.ts'
import { newTag, type LocalIdentity } from './local_identity.ts'

export type UasState = 'early' | 'answering' | 'confirmed' | 'ended'

export interface UasInit {
  stack: SipStack
  local: LocalIdentity
  clock: Clock
  timers: TimerValues
  registry: DialogRegistry
  request: SipRequest
  transaction: ServerTransaction
  source: Destination
}

export function stripTag(value: string): string {
  return value.replace(/;\s*tag\s*=\s*[^;]*/i, '')
}

export class UasInvite implements InboundCall {
  readonly method = 'INVITE' as const
  readonly request: SipRequest
  readonly callId: string
  readonly localTag = newTag()
  readonly remoteTag: string
  #state: UasState = 'early'
  readonly #init: UasInit
  #dialog: Dialog | null = null
  #retransmit: TimerHandle | null = null
  #giveUp: TimerHandle | null = null
  #ackWaiter: { resolve(dialog: Dialog): void; reject(error: Error): void } | null = null
  #cancelListener: (() => void) | null = null

  constructor(init: UasInit) {
    this.#init = init
    this.request = init.request
    this.callId = getHeader(init.request, 'call-id')!
    this.remoteTag = tagOf(getHeader(init.request, 'from')!) ?? ''
  }

  get state(): UasState {
    return this.#state
  }

  get fromTag(): string {
    return this.remoteTag
  }

  get requestUri(): string {
    return this.request.uri
  }

  get sdp(): string {
    return this.request.body.toString('latin1')
  }

  get source(): Destination {
    return this.#init.source
  }

  headers(name: string): string[] {
    return getHeaders(this.request, name)
  }

  onCancel(listener: () => void): void {
    this.#cancelListener = listener
  }

  progress(status = 180, sdp?: string): void {
    this.provisional(status, sdp)
  }

  answer(localSdp: string): Promise<Dialog> {
    return this.accept(localSdp)
  }

  get dialog(): Dialog | null {
    return this.#dialog
  }

  #respond(
    status: number,
    options: {
      reason?: string
      body?: string
      headers?: Array<{ name: string; value: string }>
    } = {},
  ) {
    const headers = [...(options.headers ?? [])]
    if (status > 100 && status < 300)
      headers.push({ name: 'contact', value: this.#init.local.contact(this.#init.source.protocol) })
    if (options.body) headers.push({ name: 'content-type', value: 'application/sdp' })
    return buildResponse(this.request, status, {
      reason: options.reason,
      toTag: this.localTag,
      headers,
      body: options.body ? Buffer.from(options.body) : undefined,
    })
  }

  provisional(status = 180, sdp?: string): void {
    if (this.#state === 'early')
      this.#init.transaction.respond(this.#respond(status, { body: sdp }))
  }

  reject(status: number, reason?: string, headers?: ExtraHeader[]): void {
    if (this.#state !== 'early') return
    this.#state = 'ended'
    this.#init.transaction.respond(this.#respond(status, { reason, headers }))
  }

  /** Sends 200 with `sdp` and resolves with the dialog once the caller's ACK arrives. */
  accept(sdp: string): Promise<Dialog> {
    if (this.#state !== 'early')
      return Promise.reject(new Error(`cannot answer a call in state ${this.#state}`))
    this.#state = 'answering'
    const response = this.#respond(200, { body: sdp })
    this.#init.transaction.respond(response)
    const contact = getHeader(this.request, 'contact')
    const remoteTarget = contact ? formatUri(parseNameAddr(contact).uri) : this.request.uri
    this.#dialog = new Dialog({
      stack: this.#init.stack,
      local: this.#init.local,
      callId: this.callId,
      localTag: this.localTag,
      remoteTag: this.remoteTag,
      localUri: stripTag(getHeader(this.request, 'to')!),
      remoteUri: stripTag(getHeader(this.request, 'from')!),
      remoteTarget,
      localSeq: 0,
      inviteSeq: parseCSeq(getHeader(this.request, 'cseq') ?? '')?.seq,
      destination: this.#init.source,
      clock: this.#init.clock,
      timers: this.#init.timers,
    })
    this.#init.registry.add(this.#dialog)
    this.#dialog.onAck = () => this.ackReceived()
    const { clock, timers, stack, source } = this.#init
    let interval = timers.T1
    const resend = () => {
      void stack.send(response, this.#init.transaction.responseDestination).catch(() => undefined)
      interval = Math.min(interval * 2, timers.T2)
      this.#retransmit = clock.setTimer(interval, resend)
    }
    if (!stack.transport(source.protocol)?.reliable)
      this.#retransmit = clock.setTimer(interval, resend)
    return new Promise((resolve, reject) => {
      this.#ackWaiter = { resolve, reject }
      this.#giveUp = clock.setTimer(64 * timers.T1, () => {
        this.#stopRetransmitting()
        this.#state = 'ended'
        // §13.3.1.4: no ACK in 64·T1 — the session is ended with a BYE.
        void this.#dialog?.bye()
        if (this.#dialog) this.#init.registry.remove(this.#dialog)
        reject(new Error('no ACK for 2xx'))
      })
    })
  }

  ackReceived(): void {
    if (this.#state !== 'answering' || !this.#dialog) return
    this.#state = 'confirmed'
    this.#stopRetransmitting()
    this.#ackWaiter?.resolve(this.#dialog)
  }

  /** A CANCEL matched this INVITE (§9.2): 200 to the CANCEL, 487 to the INVITE if unanswered. */
  cancelReceived(cancel: SipRequest, cancelTransaction: ServerTransaction): void {
    cancelTransaction.respond(buildResponse(cancel, 200, { toTag: this.localTag }))
    if (this.#state !== 'early') return
    this.reject(487)
    this.#cancelListener?.()
  }

  #stopRetransmitting(): void {
    this.#init.clock.clearTimer(this.#retransmit)
    this.#init.clock.clearTimer(this.#giveUp)
    this.#retransmit = this.#giveUp = null
  }

  /** Releases timers and forgets the dialog (CallSession cleanup). */
  release(): void {
    this.#stopRetransmitting()
    if (this.#state === 'answering') this.#ackWaiter?.reject(new Error('call ended before ACK'))
    if (this.#dialog) this.#init.registry.remove(this.#dialog)
  }
}

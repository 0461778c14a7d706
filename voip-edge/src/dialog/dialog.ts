/**
 * One SIP dialog (RFC 3261 §12) as seen by the B2BUA: it sends in-dialog requests with the
 * right tags, CSeq and target, answers the peer's BYE/re-INVITE, and tells its owner when the
 * peer hangs up. Route sets are not kept: the edge talks to phones directly.
 */
import type { SipRequest, SipResponse } from '../sip/message.ts'
import { getHeader, parseCSeq } from '../sip/message.ts'
import { buildResponse } from '../sip/serializer.ts'
import { newBranch } from '../sip/via.ts'
import type { SipStack } from '../stack/sip_stack.ts'
import type { ServerTransaction } from '../transaction/server_transaction.ts'
import type { Destination } from '../transaction/types.ts'
import type { LocalIdentity } from './local_identity.ts'
import type { CallDialog, DialogSnapshot, ReferListener } from '../signaling/signaling_port.ts'
import type { Clock, TimerHandle, TimerValues } from '../transaction/clock.ts'

export interface DialogInit {
  stack: SipStack
  local: LocalIdentity
  callId: string
  localTag: string
  remoteTag: string
  /** From/To header values without tags, from this side's point of view. */
  localUri: string
  remoteUri: string
  remoteTarget: string
  localSeq: number
  /** CSeq number of the peer's INVITE whose 2xx awaits an ACK (UAS side). */
  inviteSeq?: number
  destination: Destination
  /** For retransmitting our 2xx to a re-INVITE over UDP until the ACK (§13.3.1.4). */
  clock?: Clock
  timers?: TimerValues
}

export interface DialogEvents {
  /** The peer sent BYE (already answered 200). */
  onRemoteBye?(): void
  /** The peer sent a re-INVITE with this SDP; return the SDP to answer with (null → 488). */
  onModify?(sdp: string): Promise<string | null>
  /** The peer sent REFER (RFC 3515); without a listener REFER is answered 501. */
  onRefer?: ReferListener
}

export class Dialog implements CallDialog {
  readonly id: string
  readonly callId: string
  readonly localTag: string
  readonly remoteTag: string
  #init: DialogInit
  #localSeq: number
  #remoteSeq = 0
  /** The peer INVITE (initial or re-INVITE) our 2xx answered: its ACK carries this CSeq. */
  #inviteSeq: number | null
  #terminated = false
  #registry: DialogRegistry | null = null
  /** Our re-INVITE in progress: a crossing one from the peer gets 491 (glare, §14.2). */
  #reinviting = false
  #retransmit: { timer: TimerHandle | null; giveUp: TimerHandle | null } | null = null
  events: DialogEvents = {}
  /** UAC side: re-sends our ACK when the peer retransmits its 2xx (the ACK was lost). */
  resendAck: (() => void) | null = null
  /** UAS side: the caller's ACK for our 2xx arrived. */
  onAck: (() => void) | null = null

  constructor(init: DialogInit) {
    this.#init = init
    this.callId = init.callId
    this.localTag = init.localTag
    this.remoteTag = init.remoteTag
    this.#localSeq = init.localSeq
    this.#inviteSeq = init.inviteSeq ?? null
    this.id = dialogId(init.callId, init.localTag, init.remoteTag)
  }

  get terminated(): boolean {
    return this.#terminated
  }

  /** Called by the registry: a terminated dialog removes itself so lookups stop matching. */
  attach(registry: DialogRegistry): void {
    this.#registry = registry
  }

  #end(): void {
    this.#stopRetransmitting()
    this.#terminated = true
    this.#registry?.remove(this)
  }

  onRemoteBye(listener: () => void): void {
    this.events.onRemoteBye = listener
  }

  onModify(listener: (sdp: string) => Promise<string | null>): void {
    this.events.onModify = listener
  }

  onRefer(listener: ReferListener): void {
    this.events.onRefer = listener
  }

  /**
   * NOTIFY of the implicit REFER subscription (RFC 3515 §2.4.4): `sipfrag` is the status
   * line of the transfer's progress; `final` ends the subscription.
   */
  notifyRefer(sipfrag: string, final: boolean): Promise<number> {
    if (this.#terminated) return Promise.resolve(0)
    const request = this.buildRequest('NOTIFY', {
      body: `${sipfrag}\r\n`,
      contentType: 'message/sipfrag;version=2.0',
    })
    request.headers.push(
      { name: 'event', value: 'refer' },
      {
        name: 'subscription-state',
        value: final ? 'terminated;reason=noresource' : 'active;expires=60',
      },
    )
    return new Promise((resolve) => {
      this.#init.stack.sendRequest(request, this.#init.destination, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response.status)
        },
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      })
    })
  }

  /** Builds an in-dialog request (§12.2.1.1). */
  buildRequest(
    method: string,
    options: { body?: string; contentType?: string; seq?: number } = {},
  ): SipRequest {
    const { destination, local } = this.#init
    // ACK reuses the INVITE's number (§13.2.2.4); everything else takes the next one.
    const seq = options.seq ?? ++this.#localSeq
    const headers = [
      {
        name: 'via',
        value: `SIP/2.0/${destination.protocol.toUpperCase()} ${local.sentBy(destination.protocol)};branch=${newBranch()};rport`,
      },
      { name: 'max-forwards', value: '70' },
      { name: 'from', value: `${this.#init.localUri};tag=${this.localTag}` },
      { name: 'to', value: `${this.#init.remoteUri};tag=${this.remoteTag}` },
      { name: 'call-id', value: this.callId },
      { name: 'cseq', value: `${seq} ${method}` },
      { name: 'contact', value: local.contact(destination.protocol) },
    ]
    if (options.body)
      headers.push({ name: 'content-type', value: options.contentType ?? 'application/sdp' })
    return {
      kind: 'request',
      method,
      uri: this.#init.remoteTarget,
      headers,
      body: Buffer.from(options.body ?? ''),
    }
  }

  get destination(): Destination {
    return this.#init.destination
  }

  snapshot(): DialogSnapshot {
    const { localUri, remoteUri, remoteTarget, destination } = this.#init
    return {
      callId: this.callId,
      localTag: this.localTag,
      remoteTag: this.remoteTag,
      localUri,
      remoteUri,
      remoteTarget,
      localSeq: this.#localSeq,
      peer: { ...destination },
    }
  }

  /**
   * Sends a re-INVITE with `sdp` (hold, codec change relayed by the B2BUA) and resolves with
   * the peer's answer SDP after ACKing it; rejects with the status when the peer refuses.
   */
  modify(sdp: string): Promise<string> {
    if (this.#terminated) return Promise.reject(new Error('dialog terminated'))
    const request = this.buildRequest('INVITE', { body: sdp })
    const seq = Number(
      (request.headers.find((header) => header.name === 'cseq')?.value ?? '0').split(' ')[0],
    )
    this.#reinviting = true
    return new Promise<string>((resolve, reject) => {
      this.#init.stack.sendRequest(request, this.#init.destination, {
        onResponse: (response) => {
          if (response.status < 200) return
          this.#reinviting = false
          if (response.status >= 300)
            return reject(new Error(`re-INVITE refused with ${response.status}`))
          const ack = this.buildRequest('ACK', { seq })
          this.resendAck = () =>
            void this.#init.stack.send(ack, this.#init.destination).catch(() => undefined)
          this.resendAck()
          resolve(response.body.toString('latin1'))
        },
        onTimeout: () => {
          this.#reinviting = false
          reject(new Error('re-INVITE timed out'))
        },
        onTransportError: (error) => {
          this.#reinviting = false
          reject(error)
        },
      })
    })
  }

  async #refer(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const referTo = request.headers.filter((header) => header.name === 'refer-to')
    if (referTo.length !== 1) {
      transaction.respond(
        buildResponse(request, 400, { reason: 'Bad Request (exactly one Refer-To)' }),
      )
      return
    }
    let answer: Awaited<ReturnType<ReferListener>>
    try {
      answer = await this.events.onRefer!(referTo[0].value)
    } catch {
      answer = { status: 500, reason: 'Server Internal Error' }
    }
    transaction.respond(
      buildResponse(request, answer.status, {
        reason: answer.reason,
        headers: [
          { name: 'contact', value: this.#init.local.contact(this.#init.destination.protocol) },
        ],
      }),
    )
    if (answer.status === 202) void answer.accepted?.()
  }

  /**
   * An ACK with this dialog's tags arrived. Only the ACK of the INVITE our 2xx answered
   * (same CSeq number, §13.2.2.4) confirms it: an ACK for an earlier, non-2xx answer (a 407
   * to the first INVITE, retransmitted late or reordered, whose To the phone rewrote to our
   * tag) must not stop the 2xx retransmission, or a lost 200 is never sent again.
   */
  ackReceived(seq?: number): void {
    if (seq !== undefined && this.#inviteSeq !== null && seq !== this.#inviteSeq) return
    this.#stopRetransmitting()
    this.onAck?.()
  }

  #stopRetransmitting(): void {
    if (!this.#retransmit) return
    this.#init.clock?.clearTimer(this.#retransmit.timer)
    this.#init.clock?.clearTimer(this.#retransmit.giveUp)
    this.#retransmit = null
  }

  /** Hangs up: sends BYE and resolves on its final response, timeout or transport error. */
  bye(): Promise<number> {
    if (this.#terminated) return Promise.resolve(0)
    this.#end()
    const request = this.buildRequest('BYE')
    return new Promise((resolve) => {
      this.#init.stack.sendRequest(request, this.#init.destination, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response.status)
        },
        onTimeout: () => resolve(408),
        onTransportError: () => resolve(503),
      })
    })
  }

  /** Marks the dialog gone without signalling (the peer already ended it, or never ACKed). */
  terminate(): void {
    this.#end()
  }

  receiveRequest(request: SipRequest, transaction: ServerTransaction): void {
    const seq = parseCSeq(getHeader(request, 'cseq') ?? '')?.seq ?? 0
    if (seq < this.#remoteSeq && request.method !== 'ACK') {
      transaction.respond(buildResponse(request, 500, { reason: 'CSeq out of order' }))
      return
    }
    this.#remoteSeq = seq
    if (request.method === 'BYE') {
      transaction.respond(buildResponse(request, 200))
      if (!this.#terminated) {
        this.#end()
        this.events.onRemoteBye?.()
      }
      return
    }
    if (request.method === 'INVITE' || request.method === 'UPDATE') {
      if (this.#reinviting) {
        transaction.respond(
          buildResponse(request, 491, { headers: [{ name: 'retry-after', value: '1' }] }),
        )
        return
      }
      void this.#modify(request, transaction)
      return
    }
    if (request.method === 'REFER' && this.events.onRefer) {
      void this.#refer(request, transaction)
      return
    }
    if (request.method === 'OPTIONS' || request.method === 'INFO') {
      transaction.respond(buildResponse(request, 200))
      return
    }
    transaction.respond(buildResponse(request, 501))
  }

  async #modify(request: SipRequest, transaction: ServerTransaction): Promise<void> {
    const answer = this.events.onModify
      ? await this.events.onModify(request.body.toString('latin1')).catch(() => null)
      : null
    if (answer === null) {
      transaction.respond(buildResponse(request, 488))
      return
    }
    this.#inviteSeq = parseCSeq(getHeader(request, 'cseq') ?? '')?.seq ?? null
    const response = buildResponse(request, 200, {
      body: Buffer.from(answer),
      headers: [
        { name: 'contact', value: this.#init.local.contact(this.#init.destination.protocol) },
        { name: 'content-type', value: 'application/sdp' },
      ],
    })
    transaction.respond(response)
    const { clock, timers, stack } = this.#init
    if (
      request.method !== 'INVITE' ||
      !clock ||
      !timers ||
      stack.transport(transaction.responseDestination.protocol)?.reliable
    )
      return
    // §13.3.1.4: the transaction does not resend a 2xx; we do, T1 doubling to T2, until the ACK.
    this.#stopRetransmitting()
    let interval = timers.T1
    const state: { timer: TimerHandle | null; giveUp: TimerHandle | null } = {
      timer: null,
      giveUp: null,
    }
    const resend = () => {
      void stack.send(response, transaction.responseDestination).catch(() => undefined)
      interval = Math.min(interval * 2, timers.T2)
      state.timer = clock.setTimer(interval, resend)
    }
    state.timer = clock.setTimer(interval, resend)
    state.giveUp = clock.setTimer(64 * timers.T1, () => this.#stopRetransmitting())
    this.#retransmit = state
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`
}

/** Finds the dialog an in-dialog request or stray response belongs to. */
export class DialogRegistry {
  readonly #dialogs = new Map<string, Dialog>()

  add(dialog: Dialog): void {
    this.#dialogs.set(dialog.id, dialog)
    dialog.attach(this)
  }

  remove(dialog: Dialog): void {
    this.#dialogs.delete(dialog.id)
  }

  get size(): number {
    return this.#dialogs.size
  }

  /** For a request we received: our tag is in To, the peer's in From. */
  forRequest(
    callId: string,
    toTag: string | undefined,
    fromTag: string | undefined,
  ): Dialog | undefined {
    if (!toTag || !fromTag) return undefined
    return this.#dialogs.get(dialogId(callId, toTag, fromTag))
  }

  /** For a response we received: our tag is in From, the peer's in To. */
  forResponse(
    response: SipResponse,
    fromTag: string | undefined,
    toTag: string | undefined,
  ): Dialog | undefined {
    if (!toTag || !fromTag) return undefined
    return this.#dialogs.get(dialogId(getHeader(response, 'call-id') ?? '', fromTag, toTag))
  }
}

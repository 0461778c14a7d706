/**
 * Server transactions (RFC 3261 §17.2): they absorb request retransmissions, resend the last
 * response when the request is retransmitted, and retransmit INVITE final responses over
 * UDP until the ACK arrives (Timer G/H). Timer I/J keep the transaction around long enough
 * to absorb late retransmissions without the TU seeing them again.
 */
import type { SipRequest, SipResponse } from '../sip/message.ts'
import type { Clock, TimerHandle, TimerValues } from './clock.ts'
import type { Destination, SendFunction, TransactionState } from './types.ts'

export interface ServerTransactionOptions {
  key: string
  request: SipRequest
  /** Where responses go: top Via's received/rport, over the flow the request came in on. */
  responseDestination: Destination
  reliable: boolean
  clock: Clock
  timers: TimerValues
  send: SendFunction
  onTerminated(key: string): void
  /** Timer H fired: the INVITE's non-2xx final response was never acknowledged. */
  onAckTimeout?(): void
}

export class ServerTransaction {
  readonly key: string
  readonly request: SipRequest
  readonly isInvite: boolean
  readonly responseDestination: Destination
  #state: TransactionState
  #lastResponse: SipResponse | null = null
  readonly #options: ServerTransactionOptions
  #timerG: TimerHandle | null = null
  #timerH: TimerHandle | null = null
  #timerIJ: TimerHandle | null = null
  #intervalG: number

  constructor(options: ServerTransactionOptions) {
    this.#options = options
    this.key = options.key
    this.request = options.request
    this.responseDestination = options.responseDestination
    this.isInvite = options.request.method === 'INVITE'
    this.#state = this.isInvite ? 'proceeding' : 'trying'
    this.#intervalG = options.timers.T1
  }

  get state(): TransactionState {
    return this.#state
  }

  get lastResponse(): SipResponse | null {
    return this.#lastResponse
  }

  /** The TU's response. Ignored once a final response was sent (the TU raced a timer). */
  respond(response: SipResponse): void {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return
    this.#lastResponse = response
    this.#transmit()
    if (response.status < 200) {
      if (this.#state === 'trying') this.#state = 'proceeding'
      return
    }
    if (this.isInvite && response.status < 300) {
      // RFC 6026 "Accepted": 2xx retransmission belongs to the UAS core (dialog layer), but
      // the transaction lingers (Timer L) so INVITE retransmissions are not new calls.
      this.#state = 'accepted'
      this.#timerIJ = this.#options.clock.setTimer(64 * this.#options.timers.T1, () =>
        this.#terminate(),
      )
      return
    }
    this.#state = 'completed'
    const { clock, timers, reliable } = this.#options
    if (this.isInvite) {
      if (!reliable) this.#timerG = clock.setTimer(this.#intervalG, () => this.#onTimerG())
      this.#timerH = clock.setTimer(64 * timers.T1, () => {
        this.#options.onAckTimeout?.()
        this.#terminate()
      })
    } else {
      this.#timerIJ = clock.setTimer(reliable ? 0 : 64 * timers.T1, () => this.#terminate())
    }
  }

  /** A retransmission of the original request arrived (already matched to this key). */
  receiveRetransmission(): void {
    if (this.#state === 'proceeding' || this.#state === 'completed') {
      if (this.#lastResponse) this.#transmit()
    }
    // trying / confirmed / terminated: absorbed silently (§17.2.2, §17.2.1).
  }

  /** ACK for a non-2xx final response (2xx ACKs are separate transactions, §17.2.1). */
  receiveAck(): boolean {
    // RFC 6026 §8.5: an ACK matching an Accepted transaction acknowledges the 2xx: it is
    // the UAS core's, not ours (peers that reuse the INVITE branch for it end up here).
    if (this.#state === 'accepted') return false
    if (!this.isInvite || this.#state !== 'completed') return true
    this.#state = 'confirmed'
    this.#options.clock.clearTimer(this.#timerG)
    this.#options.clock.clearTimer(this.#timerH)
    this.#timerG = this.#timerH = null
    const { clock, timers, reliable } = this.#options
    this.#timerIJ = clock.setTimer(reliable ? 0 : timers.T4, () => this.#terminate())
    return true
  }

  #onTimerG(): void {
    if (this.#state !== 'completed') return
    this.#transmit()
    this.#intervalG = Math.min(2 * this.#intervalG, this.#options.timers.T2)
    this.#timerG = this.#options.clock.setTimer(this.#intervalG, () => this.#onTimerG())
  }

  #transmit(): void {
    if (!this.#lastResponse) return
    // A failed send is not fatal: the peer retransmits, or Timer H/J ends the transaction.
    this.#options.send(this.#lastResponse, this.responseDestination).catch(() => undefined)
  }

  #terminate(): void {
    if (this.#state === 'terminated') return
    this.#state = 'terminated'
    const { clock } = this.#options
    clock.clearTimer(this.#timerG)
    clock.clearTimer(this.#timerH)
    clock.clearTimer(this.#timerIJ)
    this.#options.onTerminated(this.key)
  }

  /** Used on shutdown so no timer outlives the stack. */
  destroy(): void {
    this.#terminate()
  }
}

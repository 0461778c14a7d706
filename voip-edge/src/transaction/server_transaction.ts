/**
 * Server transactions (RFC 3261 §17.2): they absorb request retransmissions, resend the last
 * response when the request is retransmitted, and retransmit INVITE final responses over
 * UDP until the ACK arrives (Timer G/H). Timer I/J keep the transaction around long enough
 * to absorb late retransmissions without the TU seeing them again.
 */
import type { SipRequest, SipResponse } from '../sip/message.ts'
import { serialize } from '../sip/serializer.ts'
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

/**
 * At 1,000 REGISTERs/s Timer J keeps ~64,000 finished transactions alive for 32 s. Holding the
 * parsed request and response (whose header strings pin the whole received text) cost ~3 KB
 * of heap each (~200 MB the garbage collector keeps marking, showing as latency spikes); a
 * final response is therefore kept only as its serialized bytes, and the request not at all.
 */
export class ServerTransaction {
  readonly key: string
  readonly method: string
  readonly isInvite: boolean
  readonly responseDestination: Destination
  #state: TransactionState
  #lastResponse: SipResponse | Buffer | null = null
  #lastStatus = 0
  readonly #options: Omit<ServerTransactionOptions, 'request'>
  #timerG: TimerHandle | null = null
  #timerH: TimerHandle | null = null
  #timerIJ: TimerHandle | null = null
  #intervalG: number

  constructor({ request, ...options }: ServerTransactionOptions) {
    this.#options = options
    this.key = options.key
    this.method = request.method
    this.responseDestination = options.responseDestination
    this.isInvite = request.method === 'INVITE'
    this.#state = this.isInvite ? 'proceeding' : 'trying'
    this.#intervalG = options.timers.T1
  }

  get state(): TransactionState {
    return this.#state
  }

  /** Status of the last response sent (0 before any). */
  get lastStatus(): number {
    return this.#lastStatus
  }

  /** The TU's response. Ignored once a final response was sent (the TU raced a timer). */
  respond(response: SipResponse): void {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return
    this.#lastStatus = response.status
    // A final response is serialized once here: the wire bytes are sent now and resent on
    // retransmissions, and nothing parsed outlives this call.
    this.#lastResponse = response.status >= 200 ? serialize(response) : response
    this.#transmit()
    if (response.status < 200) {
      if (this.#state === 'trying') this.#state = 'proceeding'
      return
    }
    if (this.isInvite && response.status < 300) {
      // RFC 6026 "Accepted": 2xx retransmission belongs to the UAS core (dialog layer), but
      // the transaction lingers (Timer L) so INVITE retransmissions are not new calls.
      this.#state = 'accepted'
      // Accepted never resends (the UAS core owns 2xx retransmission).
      this.#lastResponse = null
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

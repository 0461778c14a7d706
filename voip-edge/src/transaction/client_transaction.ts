/**
 * Client transactions (RFC 3261 §17.1): retransmit over UDP (Timer A/E), give up after
 * 64·T1 (Timer B/F), ACK non-2xx INVITE responses ourselves and absorb their
 * retransmissions (Timer D), absorb non-INVITE final retransmissions (Timer K).
 */
import type { SipRequest, SipResponse } from '../sip/message.ts'
import { getHeader } from '../sip/message.ts'
import type { Clock, TimerHandle, TimerValues } from './clock.ts'
import type {
  ClientTransactionHandlers,
  Destination,
  SendFunction,
  TransactionState,
} from './types.ts'

export interface ClientTransactionOptions {
  key: string
  request: SipRequest
  destination: Destination
  reliable: boolean
  clock: Clock
  timers: TimerValues
  send: SendFunction
  handlers: ClientTransactionHandlers
  onTerminated(key: string): void
}

export class ClientTransaction {
  readonly key: string
  readonly request: SipRequest
  readonly isInvite: boolean
  #state: TransactionState
  readonly #options: ClientTransactionOptions
  #retransmitTimer: TimerHandle | null = null
  #timeoutTimer: TimerHandle | null = null
  #finalTimer: TimerHandle | null = null
  #interval: number
  #ack: SipRequest | null = null

  constructor(options: ClientTransactionOptions) {
    this.#options = options
    this.key = options.key
    this.request = options.request
    this.isInvite = options.request.method === 'INVITE'
    this.#state = this.isInvite ? 'calling' : 'trying'
    this.#interval = options.timers.T1
  }

  get state(): TransactionState {
    return this.#state
  }

  start(): void {
    const { clock, timers, reliable } = this.#options
    this.#transmit(this.request)
    if (!reliable)
      this.#retransmitTimer = clock.setTimer(this.#interval, () => this.#onRetransmit())
    this.#timeoutTimer = clock.setTimer(64 * timers.T1, () => {
      if (
        this.#state === 'calling' ||
        this.#state === 'trying' ||
        (!this.isInvite && this.#state === 'proceeding')
      ) {
        this.#options.handlers.onTimeout()
        this.#terminate()
      }
    })
  }

  #onRetransmit(): void {
    const active = this.isInvite
      ? this.#state === 'calling'
      : this.#state === 'trying' || this.#state === 'proceeding'
    if (!active) return
    this.#transmit(this.request)
    // §17.1.1.2: INVITE doubles without cap; §17.1.2.2: non-INVITE caps at T2, and uses T2
    // straight away once a provisional response arrived.
    const { T2 } = this.#options.timers
    this.#interval = this.isInvite
      ? 2 * this.#interval
      : this.#state === 'proceeding'
        ? T2
        : Math.min(2 * this.#interval, T2)
    this.#retransmitTimer = this.#options.clock.setTimer(this.#interval, () => this.#onRetransmit())
  }

  receiveResponse(response: SipResponse, source?: Destination): void {
    const { clock, timers, reliable, handlers } = this.#options
    if (this.#state === 'terminated') return
    if (this.#state === 'completed') {
      // Retransmitted final response: re-ACK for INVITE, absorb otherwise.
      if (this.isInvite && response.status >= 300 && this.#ack) this.#transmit(this.#ack)
      return
    }
    if (response.status < 200) {
      if (this.isInvite) {
        clock.clearTimer(this.#retransmitTimer)
        this.#retransmitTimer = null
      }
      this.#state = 'proceeding'
      handlers.onResponse(response, source)
      return
    }
    clock.clearTimer(this.#retransmitTimer)
    clock.clearTimer(this.#timeoutTimer)
    this.#retransmitTimer = this.#timeoutTimer = null
    if (this.isInvite && response.status < 300) {
      // §17.1.1.2: 2xx ends the transaction; the UAC core ACKs it end to end.
      handlers.onResponse(response, source)
      this.#terminate()
      return
    }
    this.#state = 'completed'
    if (this.isInvite) {
      this.#ack = buildNon2xxAck(this.request, response)
      this.#transmit(this.#ack)
    }
    handlers.onResponse(response, source)
    const linger = reliable ? 0 : this.isInvite ? 32_000 : timers.T4
    this.#finalTimer = clock.setTimer(linger, () => this.#terminate())
  }

  #transmit(message: SipRequest): void {
    this.#options.send(message, this.#options.destination).catch((error: Error) => {
      if (this.#state === 'terminated') return
      this.#options.handlers.onTransportError(error)
      this.#terminate()
    })
  }

  #terminate(): void {
    if (this.#state === 'terminated') return
    this.#state = 'terminated'
    const { clock } = this.#options
    clock.clearTimer(this.#retransmitTimer)
    clock.clearTimer(this.#timeoutTimer)
    clock.clearTimer(this.#finalTimer)
    this.#options.onTerminated(this.key)
  }

  destroy(): void {
    this.#terminate()
  }
}

/** §17.1.1.3: the ACK for a non-2xx reuses the INVITE's Via, Route and Call-ID. */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: SipRequest['headers'] = []
  const topVia = invite.headers.find((header) => header.name === 'via')
  if (topVia) headers.push({ ...topVia })
  for (const header of invite.headers) {
    if (
      header.name === 'route' ||
      header.name === 'from' ||
      header.name === 'call-id' ||
      header.name === 'max-forwards'
    ) {
      headers.push({ ...header })
    }
  }
  headers.push({ name: 'to', value: getHeader(response, 'to') ?? getHeader(invite, 'to') ?? '' })
  const seq = (getHeader(invite, 'cseq') ?? '1 INVITE').trim().split(/\s+/)[0]
  headers.push({ name: 'cseq', value: `${seq} ACK` })
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) }
}

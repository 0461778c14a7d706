/**
 * Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3) and owns their lifetimes.
 * Requests that match nothing go to the TU (`onRequest`); ACKs for 2xx and stray responses
 * go to the dialog layer through their own callbacks.
 */
import type { SipRequest, SipResponse } from '../sip/message.ts'
import { getHeader, parseCSeq, splitList, tagOf } from '../sip/message.ts'
import { parseVia, MAGIC_COOKIE } from '../sip/via.ts'
import { buildResponse } from '../sip/serializer.ts'
import { ClientTransaction } from './client_transaction.ts'
import { ServerTransaction } from './server_transaction.ts'
import type { Clock, TimerValues } from './clock.ts'
import { DEFAULT_TIMERS } from './clock.ts'
import type { ClientTransactionHandlers, Destination, SendFunction } from './types.ts'

export interface TransactionLayerOptions {
  clock: Clock
  send: SendFunction
  isReliable(protocol: Destination['protocol']): boolean
  timers?: Partial<TimerValues>
  /** A new request (not a retransmission, not an ACK) with its server transaction. */
  onRequest(request: SipRequest, transaction: ServerTransaction, source: Destination): void
  /** ACK that matched no server transaction: the ACK of a 2xx, for the dialog layer. */
  onAck?(ack: SipRequest, source: Destination): void
  /** A response matching no client transaction (e.g. a retransmitted 2xx to INVITE). */
  onStrayResponse?(response: SipResponse): void
  onAckTimeout?(transaction: ServerTransaction): void
  /**
   * Most server transactions held at once (0: no bound). Each lives up to 32 s after its
   * final response (Timer J/H), so memory follows the request rate, and a flood would grow
   * it without end: past the bound a new request gets a stateless 503 with Retry-After.
   */
  maxServerTransactions?: number
  /** A request was refused because the bound was reached. */
  onShed?(request: SipRequest): void
}

/*
 * Ending what exists is never refused for lack of room: a CANCEL or BYE frees more than it
 * costs, and a call that cannot be hung up is worse than a new one that must wait.
 */
const NEVER_SHED = new Set(['CANCEL', 'BYE'])
const SHED_RETRY_AFTER_S = '5'

function topVia(message: SipRequest | SipResponse) {
  const value = getHeader(message, 'via')
  return value === undefined ? null : parseVia(splitList(value)[0])
}

export function serverKey(request: SipRequest): string {
  const via = topVia(request)
  const method = request.method === 'ACK' ? 'INVITE' : request.method
  const branch = via?.params.get('branch') ?? ''
  if (via && branch.startsWith(MAGIC_COOKIE)) {
    return `${branch}|${via.host}:${via.port ?? ''}|${method}`
  }
  // RFC 2543 peers (no magic cookie): fall back to the §17.2.3 dialog-ish identifiers.
  const cseq = parseCSeq(getHeader(request, 'cseq') ?? '')
  return `2543|${getHeader(request, 'call-id')}|${cseq?.seq}|${tagOf(getHeader(request, 'from') ?? '')}|${branch}|${method}`
}

export function clientKey(message: SipRequest | SipResponse): string {
  const branch = topVia(message)?.params.get('branch') ?? ''
  const cseq = parseCSeq(getHeader(message, 'cseq') ?? '')
  const method = cseq?.method === 'ACK' ? 'INVITE' : cseq?.method
  return `${branch}|${method}`
}

export class TransactionLayer {
  readonly #options: TransactionLayerOptions
  readonly #timers: TimerValues
  readonly #server = new Map<string, ServerTransaction>()
  readonly #client = new Map<string, ClientTransaction>()

  constructor(options: TransactionLayerOptions) {
    this.#options = options
    this.#timers = { ...DEFAULT_TIMERS, ...options.timers }
  }

  get counts(): { server: number; client: number } {
    return { server: this.#server.size, client: this.#client.size }
  }

  findServer(key: string): ServerTransaction | undefined {
    return this.#server.get(key)
  }

  receiveRequest(request: SipRequest, source: Destination, responseDestination: Destination): void {
    const key = serverKey(request)
    const existing = this.#server.get(key)
    if (request.method === 'ACK') {
      if (!existing || !existing.receiveAck()) this.#options.onAck?.(request, source)
      return
    }
    if (existing) {
      existing.receiveRetransmission()
      return
    }
    const max = this.#options.maxServerTransactions ?? 0
    if (max > 0 && this.#server.size >= max && !NEVER_SHED.has(request.method)) {
      this.#options.onShed?.(request)
      // Stateless (§8.2.6): a retransmission finds no transaction and is refused again.
      const refusal = buildResponse(request, 503, {
        reason: 'Service Unavailable (overloaded)',
        headers: [{ name: 'retry-after', value: SHED_RETRY_AFTER_S }],
      })
      this.#options.send(refusal, responseDestination).catch(() => undefined)
      return
    }
    const transaction = new ServerTransaction({
      key,
      request,
      responseDestination,
      reliable: this.#options.isReliable(source.protocol),
      clock: this.#options.clock,
      timers: this.#timers,
      send: this.#options.send,
      onTerminated: (done) => this.#server.delete(done),
      onAckTimeout: () => this.#options.onAckTimeout?.(transaction),
    })
    this.#server.set(key, transaction)
    this.#options.onRequest(request, transaction, source)
  }

  receiveResponse(response: SipResponse, source?: Destination): void {
    const transaction = this.#client.get(clientKey(response))
    if (transaction) transaction.receiveResponse(response, source)
    else this.#options.onStrayResponse?.(response)
  }

  /** Starts a client transaction; the request must already carry its top Via and branch. */
  sendRequest(
    request: SipRequest,
    destination: Destination,
    handlers: ClientTransactionHandlers,
  ): ClientTransaction {
    const key = clientKey(request)
    const transaction = new ClientTransaction({
      key,
      request,
      destination,
      reliable: this.#options.isReliable(destination.protocol),
      clock: this.#options.clock,
      timers: this.#timers,
      send: this.#options.send,
      handlers,
      onTerminated: (done) => this.#client.delete(done),
    })
    this.#client.set(key, transaction)
    transaction.start()
    return transaction
  }

  destroy(): void {
    for (const transaction of [...this.#server.values()]) transaction.destroy()
    for (const transaction of [...this.#client.values()]) transaction.destroy()
  }
}

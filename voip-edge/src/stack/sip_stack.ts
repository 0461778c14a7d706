/**
 * Glue between transports and the transaction layer: parse, answer what is broken, stamp
 * Via received/rport, and route responses back the way requests came. Nothing malformed
 * may escape this file as an exception: a bad packet costs a counter, never the process.
 */
import type { Logger } from 'pino'
import type { SipRequest, SipResponse, SipMessage } from '../sip/message.ts'
import { getHeader, getHeaders, parseCSeq, splitList } from '../sip/message.ts'
import { parseMessage, SipParseError, type ParseLimits, DEFAULT_LIMITS } from '../sip/parser.ts'
import { serialize, buildResponse } from '../sip/serializer.ts'
import { parseVia, stampReceived, formatVia, responseTarget } from '../sip/via.ts'
import type {
  Endpoint,
  InboundPacket,
  Transport,
  TransportProtocol,
} from '../transport/transport.ts'
import { TransactionLayer } from '../transaction/transaction_layer.ts'
import type { ServerTransaction } from '../transaction/server_transaction.ts'
import type { Clock, TimerValues } from '../transaction/clock.ts'
import type { ClientTransactionHandlers, Destination } from '../transaction/types.ts'
import type { ClientTransaction } from '../transaction/client_transaction.ts'
import { redactSipMessage } from '../observability/logger.ts'
import { IpMatcher } from './ip_matcher.ts'

export interface RequestContext {
  /** Where the request physically came from (after NAT). */
  source: Destination
}

export interface SipStackOptions {
  transports: Transport[]
  clock: Clock
  logger: Logger
  limits?: ParseLimits
  timers?: Partial<TimerValues>
  /** Operator block list: matching sources are dropped before parsing. */
  blockIps?: string[]
  sipMessageLog?: boolean
  /** Bound on server transactions held at once; past it new requests get 503 (0: none). */
  maxServerTransactions?: number
  onRequest(request: SipRequest, transaction: ServerTransaction, context: RequestContext): void
  onAck?(ack: SipRequest, source: Destination): void
  onStrayResponse?(response: SipResponse): void
}

export interface SipStackStats {
  parseErrors: number
  badRequestsAnswered: number
  dropped: number
  blocked: number
  /** New requests refused with 503 because the server transaction bound was reached. */
  overloaded: number
}

/* Methods counted by name; anything else (a peer may send any token) is counted as OTHER. */
const COUNTED_METHODS = new Set([
  'REGISTER',
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'PRACK',
  'UPDATE',
  'INFO',
  'REFER',
  'NOTIFY',
  'SUBSCRIBE',
  'MESSAGE',
  'PUBLISH',
])

export class SipStack {
  readonly stats: SipStackStats = {
    parseErrors: 0,
    badRequestsAnswered: 0,
    dropped: 0,
    blocked: 0,
    overloaded: 0,
  }
  /**
   * Parsed messages by `<in|out> <METHOD> <status|->` (responses named by their CSeq
   * method), for the metrics endpoint. Bounded: 14 methods + OTHER, statuses 100–699.
   */
  readonly messageCounts = new Map<string, number>()
  readonly transactions: TransactionLayer
  readonly #options: SipStackOptions
  readonly #transports = new Map<TransportProtocol, Transport>()
  readonly #limits: ParseLimits
  readonly #blocked: IpMatcher
  #messageLog: boolean

  constructor(options: SipStackOptions) {
    this.#options = options
    this.#limits = options.limits ?? DEFAULT_LIMITS
    this.#blocked = new IpMatcher(options.blockIps ?? [])
    this.#messageLog = options.sipMessageLog ?? false
    for (const transport of options.transports) this.#transports.set(transport.protocol, transport)
    this.transactions = new TransactionLayer({
      clock: options.clock,
      timers: options.timers,
      send: (message, to) => this.send(message, to),
      isReliable: (protocol) => this.#transports.get(protocol)?.reliable ?? false,
      onRequest: (request, transaction, source) =>
        options.onRequest(request, transaction, { source }),
      onAck: (ack, source) => options.onAck?.(ack, source),
      onStrayResponse: (response) => options.onStrayResponse?.(response),
      maxServerTransactions: options.maxServerTransactions,
      onShed: () => this.stats.overloaded++,
    })
  }

  setSipMessageLog(enabled: boolean): void {
    this.#messageLog = enabled
  }

  async start(): Promise<Map<TransportProtocol, Endpoint>> {
    const bound = new Map<TransportProtocol, Endpoint>()
    for (const transport of this.#transports.values()) {
      transport.onPacket((packet) => this.#receive(packet, transport))
      bound.set(transport.protocol, await transport.listen())
    }
    return bound
  }

  transport(protocol: TransportProtocol): Transport | undefined {
    return this.#transports.get(protocol)
  }

  async send(message: SipMessage | Buffer, to: Destination): Promise<void> {
    const transport = this.#transports.get(to.protocol)
    if (!transport) throw new Error(`no ${to.protocol} transport`)
    const data = Buffer.isBuffer(message) ? message : serialize(message)
    this.#count('out', message)
    if (this.#messageLog) {
      this.#options.logger.info(
        { direction: 'out', to, sip: redactSipMessage(data.toString('latin1')) },
        'sip message',
      )
    }
    await transport.send(data, { address: to.address, port: to.port }, to.flowId)
  }

  sendRequest(
    request: SipRequest,
    to: Destination,
    handlers: ClientTransactionHandlers,
  ): ClientTransaction {
    return this.transactions.sendRequest(request, to, handlers)
  }

  #receive(packet: InboundPacket, transport: Transport): void {
    if (this.#blocked.matches(packet.remote.address)) {
      this.stats.blocked++
      transport.countDropped()
      return
    }
    const source: Destination = {
      protocol: packet.protocol,
      ...packet.remote,
      flowId: packet.flowId,
    }
    if (this.#messageLog) {
      this.#options.logger.info(
        { direction: 'in', from: source, sip: redactSipMessage(packet.data.toString('latin1')) },
        'sip message',
      )
    }
    if (packet.framingError) {
      const status = /too large|exceed/.test(packet.framingError) ? 513 : 400
      this.#rejectMalformed(
        new SipParseError(packet.framingError, status, partialRequest(packet.data)),
        source,
        transport,
      )
      return
    }
    let message: SipMessage
    try {
      // UDP datagrams and WebSocket messages carry exactly one message: Content-Length is optional.
      const framed =
        !transport.reliable || transport.protocol === 'ws' || transport.protocol === 'wss'
      message = parseMessage(packet.data, this.#limits, framed)
    } catch (error) {
      this.#rejectMalformed(error, source, transport)
      return
    }
    this.#count('in', message)
    try {
      if (message.kind === 'request') this.#receiveRequest(message, source)
      else this.transactions.receiveResponse(message, source)
    } catch (error) {
      // A bug above must not kill the listener; it is logged loudly instead.
      this.#options.logger.error({ err: error, from: source }, 'sip message handling failed')
    }
  }

  #count(direction: 'in' | 'out', message: SipMessage | Buffer): void {
    let raw: string
    let status: string
    if (Buffer.isBuffer(message)) {
      // Already serialized (a server transaction's final response): read the start line and CSeq.
      const head = message.toString('latin1', 0, Math.min(message.length, 4096))
      const code = /^SIP\/2\.0 (\d{3})/.exec(head)?.[1]
      raw = code
        ? (/\r\nCSeq:\s*\d+\s+(\S+)/i.exec(head)?.[1] ?? '')
        : head.slice(0, head.indexOf(' '))
      status = code ?? '-'
    } else {
      raw =
        message.kind === 'request'
          ? message.method
          : (parseCSeq(getHeader(message, 'cseq') ?? '')?.method ?? '')
      status = message.kind === 'response' ? String(message.status) : '-'
    }
    const method = COUNTED_METHODS.has(raw) ? raw : 'OTHER'
    const key = `${direction} ${method} ${status}`
    this.messageCounts.set(key, (this.messageCounts.get(key) ?? 0) + 1)
  }

  #receiveRequest(request: SipRequest, source: Destination): void {
    // §18.2.1: the top Via gets received (and rport, RFC 3581) before anything else sees it.
    const viaIndex = request.headers.findIndex((header) => header.name === 'via')
    const [top, ...rest] = splitList(request.headers[viaIndex].value)
    const stamped = stampReceived(parseVia(top), source.address, source.port)
    request.headers.splice(viaIndex, 1, { name: 'via', value: formatVia(stamped) })
    if (rest.length > 0)
      request.headers.splice(viaIndex + 1, 0, { name: 'via', value: rest.join(', ') })
    const target = responseTarget(stamped)
    // Reliable transports answer over the same connection (§18.2.2); UDP follows the Via.
    const responseDestination: Destination = source.flowId
      ? source
      : { protocol: source.protocol, address: target.host, port: target.port }
    this.transactions.receiveRequest(request, source, responseDestination)
  }

  #rejectMalformed(error: unknown, source: Destination, transport: Transport): void {
    this.stats.parseErrors++
    if (!(error instanceof SipParseError)) {
      this.#options.logger.error({ err: error, from: source }, 'sip parser crashed')
      this.stats.dropped++
      transport.countDropped()
      return
    }
    const partial = error.partial
    const answerable =
      partial !== null &&
      partial.method !== 'ACK' &&
      ['via', 'from', 'to', 'call-id', 'cseq'].every((name) =>
        partial.headers.some((header) => header.name === name),
      )
    this.#options.logger.warn(
      { from: source, reason: error.message, answered: answerable },
      'malformed sip message',
    )
    if (!answerable) {
      this.stats.dropped++
      transport.countDropped()
      return
    }
    // Answer straight to the source: the Via of a broken message is not trustworthy.
    const response = buildResponse(partial, error.status, {
      reason: error.message.replace(/[\r\n]/g, ' ').slice(0, 100),
      toTag: 'malformed',
    })
    // Only our peer's own Via entry is echoed: a broken message's later entries are noise.
    const firstVia = getHeaders(response, 'via')[0]
    response.headers = response.headers.filter((header) => header.name !== 'via')
    if (firstVia !== undefined)
      response.headers.unshift({ name: 'via', value: splitList(firstVia)[0] })
    this.stats.badRequestsAnswered++
    this.send(response, source).catch(() => undefined)
  }

  async close(): Promise<void> {
    this.transactions.destroy()
    for (const transport of this.#transports.values()) await transport.close()
  }
}

/** The request as far as it can be read, to answer a stream framing error. */
function partialRequest(head: Buffer): SipRequest | null {
  try {
    const message = parseMessage(head)
    return message.kind === 'request' ? message : null
  } catch (error) {
    return error instanceof SipParseError ? error.partial : null
  }
}

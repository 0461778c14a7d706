/**
 * The transport contract shared by UDP, TCP and (later) TLS and WS. A transport only moves
 * whole SIP messages: framing of stream transports happens inside it, parsing above it, so
 * the stack treats every transport the same and picks one per destination by protocol.
 */

export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss'

export interface Endpoint {
  address: string
  port: number
}

export interface InboundPacket {
  protocol: TransportProtocol
  data: Buffer
  remote: Endpoint
  /**
   * Connection the packet came in on (connection-oriented transports only). Responses and
   * requests to a registered contact behind NAT must go back over the same flow.
   */
  flowId: string | null
  /**
   * Set when a stream transport could not frame the input (oversized, bad Content-Length).
   * `data` then holds the header bytes read so far; the transport closes the flow after the
   * handler returns, so the handler may answer 400/513 synchronously first.
   */
  framingError: string | null
}

export interface TransportStats {
  received: number
  sent: number
  /** Input discarded without any answer (garbage, framing failures, blocked sources). */
  dropped: number
  connections: number
}

export interface Transport {
  readonly protocol: TransportProtocol
  /** Reliable transports disable retransmission timers (§17.1.1.2, §17.1.2.2). */
  readonly reliable: boolean
  readonly stats: TransportStats
  listen(): Promise<Endpoint>
  /**
   * Sends one serialised message. Connection-oriented transports reuse `flowId` when that
   * connection is still open, otherwise any open connection to `to`, otherwise connect.
   */
  send(data: Buffer, to: Endpoint, flowId?: string | null): Promise<void>
  onPacket(handler: (packet: InboundPacket) => void): void
  /** Counts input that the layer above chose to discard. */
  countDropped(): void
  close(): Promise<void>
}

export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TransportError'
  }
}

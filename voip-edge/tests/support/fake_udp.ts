import type {
  Endpoint,
  InboundPacket,
  Transport,
  TransportStats,
} from '../../src/transport/transport.ts'

/**
 * In-memory UDP-like transport for unit tests: what the stack sends is recorded, what the
 * test delivers is received as coming from 127.0.0.1:6000.
 */
export class FakeUdp implements Transport {
  readonly protocol = 'udp' as const
  readonly reliable = false
  readonly stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 }
  readonly sent: string[] = []
  #handler: ((packet: InboundPacket) => void) | null = null
  async listen(): Promise<Endpoint> {
    return { address: '127.0.0.1', port: 5999 }
  }
  async send(data: Buffer): Promise<void> {
    this.sent.push(data.toString('latin1'))
  }
  onPacket(handler: (packet: InboundPacket) => void): void {
    this.#handler = handler
  }
  countDropped(): void {}
  async close(): Promise<void> {}
  deliver(text: string): void {
    this.#handler!({
      protocol: 'udp',
      data: Buffer.from(text),
      remote: { address: '127.0.0.1', port: 6000 },
      flowId: null,
      framingError: null,
    })
  }
}

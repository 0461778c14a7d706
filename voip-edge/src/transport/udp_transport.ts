import { createSocket, type Socket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import type { Endpoint, InboundPacket, Transport, TransportStats } from './transport.ts'
import { TransportError } from './transport.ts'

/*
 * Bursts (a registration storm after a restart, BYEs for every call when rtpengine comes
 * back) outrun the event loop for a moment; the kernel's default ~208 KiB queue then drops
 * datagrams and every drop costs a retransmission round. 4 MiB is asked for; Linux grants
 * at most net.core.rmem_max.
 */
export const UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024

/** SIP over UDP (RFC 3261 §18): one datagram is one message; nothing to frame. */
export class UdpTransport implements Transport {
  readonly protocol = 'udp' as const
  readonly reliable = false
  readonly stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 }
  readonly #host: string
  readonly #port: number
  readonly #maxDatagram: number
  #socket: Socket | null = null
  #handler: ((packet: InboundPacket) => void) | null = null

  constructor(options: { host: string; port: number; maxDatagramBytes?: number }) {
    this.#host = options.host
    this.#port = options.port
    // Datagrams far above the parser limit are dropped unread instead of copied upward.
    this.#maxDatagram = options.maxDatagramBytes ?? 65_535
  }

  onPacket(handler: (packet: InboundPacket) => void): void {
    this.#handler = handler
  }

  /** The receive queue the kernel actually granted (Linux reports twice the request). */
  receiveBufferBytes(): number {
    return this.#socket?.getRecvBufferSize() ?? 0
  }

  countDropped(): void {
    this.stats.dropped++
  }

  listen(): Promise<Endpoint> {
    const socket = createSocket({
      type: isIPv6(this.#host) ? 'udp6' : 'udp4',
      recvBufferSize: UDP_RECEIVE_BUFFER_BYTES,
    })
    this.#socket = socket
    socket.on('message', (data, info) => {
      this.stats.received++
      if (data.length > this.#maxDatagram || !this.#handler) {
        this.stats.dropped++
        return
      }
      this.#handler({
        protocol: 'udp',
        data,
        remote: { address: info.address, port: info.port },
        flowId: null,
        framingError: null,
      })
    })
    return new Promise((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(this.#port, this.#host, () => {
        socket.off('error', reject)
        // A send error on one datagram (e.g. ICMP unreachable) must never take the process down.
        socket.on('error', () => this.stats.dropped++)
        const address = socket.address()
        resolve({ address: address.address, port: address.port })
      })
    })
  }

  send(data: Buffer, to: Endpoint): Promise<void> {
    const socket = this.#socket
    if (!socket) return Promise.reject(new TransportError('UDP transport is not listening'))
    return new Promise((resolve, reject) => {
      socket.send(data, to.port, to.address, (error) => {
        if (error)
          reject(
            new TransportError(`UDP send to ${to.address}:${to.port} failed`, { cause: error }),
          )
        else {
          this.stats.sent++
          resolve()
        }
      })
    })
  }

  close(): Promise<void> {
    const socket = this.#socket
    this.#socket = null
    if (!socket) return Promise.resolve()
    return new Promise((resolve) => socket.close(() => resolve()))
  }
}

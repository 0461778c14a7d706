import { createServer, connect, type Server, type Socket } from 'node:net'
import {
  createServer as createTlsServer,
  connect as tlsConnect,
  type SecureContextOptions,
} from 'node:tls'
import type { Endpoint, InboundPacket, Transport, TransportStats } from './transport.ts'
import { TransportError } from './transport.ts'
import { StreamFramer } from './stream_framer.ts'

export interface TcpTransportOptions {
  host: string
  port: number
  maxMessageBytes: number
  maxConnections?: number
  /** Idle connections are closed; a registered phone keeps its flow alive with CRLF pings. */
  idleTimeoutMs?: number
  connectTimeoutMs?: number
  /** Set for SIP over TLS (RFC 3261 §26.2): certificate/key for the server side, CA for clients. */
  tls?: {
    cert?: string | Buffer
    key?: string | Buffer
    ca?: string | Buffer
    rejectUnauthorized?: boolean
  }
}

interface Flow {
  id: string
  socket: Socket
  remote: Endpoint
}

/**
 * SIP over TCP (RFC 3261 §18.3), both accepted and outgoing connections; with `tls` options
 * the same framing runs over TLS (`protocol` becomes "tls").
 */
export class TcpTransport implements Transport {
  readonly protocol: 'tcp' | 'tls'
  readonly reliable = true
  readonly stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 }
  readonly #options: Required<Omit<TcpTransportOptions, 'tls'>> & {
    tls?: TcpTransportOptions['tls']
  }
  readonly #flows = new Map<string, Flow>()
  readonly #byRemote = new Map<string, string>()
  #server: Server | null = null
  #handler: ((packet: InboundPacket) => void) | null = null
  #nextFlow = 1

  constructor(options: TcpTransportOptions) {
    this.#options = {
      maxConnections: 1024,
      idleTimeoutMs: 300_000,
      connectTimeoutMs: 3000,
      ...options,
    }
    this.protocol = options.tls ? 'tls' : 'tcp'
  }

  onPacket(handler: (packet: InboundPacket) => void): void {
    this.#handler = handler
  }

  countDropped(): void {
    this.stats.dropped++
  }

  listen(): Promise<Endpoint> {
    const accept = (socket: Socket) => {
      if (this.#flows.size >= this.#options.maxConnections) {
        this.stats.dropped++
        socket.destroy()
        return
      }
      this.#adopt(socket)
    }
    const tls = this.#options.tls
    const server = tls
      ? createTlsServer({ cert: tls.cert, key: tls.key } satisfies SecureContextOptions, accept)
      : createServer(accept)
    // A failed TLS handshake is a dropped connection, nothing more.
    server.on('tlsClientError', () => this.stats.dropped++)
    this.#server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#options.port, this.#options.host, () => {
        server.off('error', reject)
        const address = server.address()
        if (address === null || typeof address === 'string')
          return reject(new TransportError('TCP listen failed'))
        resolve({ address: address.address, port: address.port })
      })
    })
  }

  #adopt(socket: Socket): Flow {
    const remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }
    const flow: Flow = { id: `${this.protocol}-${this.#nextFlow++}`, socket, remote }
    const remoteKey = `${remote.address}:${remote.port}`
    this.#flows.set(flow.id, flow)
    this.#byRemote.set(remoteKey, flow.id)
    this.stats.connections = this.#flows.size
    const framer = new StreamFramer(this.#options.maxMessageBytes)
    socket.setTimeout(this.#options.idleTimeoutMs, () => socket.destroy())
    socket.on('data', (chunk: Buffer) => {
      for (const result of framer.push(chunk)) {
        this.stats.received++
        if (result.kind === 'message') {
          this.#handler?.({
            protocol: this.protocol,
            data: result.data,
            remote,
            flowId: flow.id,
            framingError: null,
          })
          continue
        }
        this.#handler?.({
          protocol: this.protocol,
          data: result.head,
          remote,
          flowId: flow.id,
          framingError: result.reason,
        })
        // The stream cannot be resynchronised after a framing error: close it (after any
        // synchronous 400 the handler queued).
        socket.end()
        return
      }
    })
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      this.#flows.delete(flow.id)
      if (this.#byRemote.get(remoteKey) === flow.id) this.#byRemote.delete(remoteKey)
      this.stats.connections = this.#flows.size
    })
    return flow
  }

  async send(data: Buffer, to: Endpoint, flowId?: string | null): Promise<void> {
    let flow = flowId ? this.#flows.get(flowId) : undefined
    if (!flow || flow.socket.destroyed) {
      const existing = this.#byRemote.get(`${to.address}:${to.port}`)
      flow = existing ? this.#flows.get(existing) : undefined
    }
    if (!flow || flow.socket.destroyed) flow = await this.#connect(to)
    const socket = flow.socket
    await new Promise<void>((resolve, reject) => {
      socket.write(data, (error) => {
        if (error)
          reject(
            new TransportError(
              `${this.protocol.toUpperCase()} send to ${to.address}:${to.port} failed`,
              { cause: error },
            ),
          )
        else resolve()
      })
    })
    this.stats.sent++
  }

  #connect(to: Endpoint): Promise<Flow> {
    return new Promise((resolve, reject) => {
      const tls = this.#options.tls
      const socket = tls
        ? tlsConnect({
            // Bound to our address via a plain socket first: tls.connect has no localAddress.
            socket: connect({ host: to.address, port: to.port, localAddress: this.#options.host }),
            host: to.address,
            ca: tls.ca,
            rejectUnauthorized: tls.rejectUnauthorized ?? true,
          })
        : connect({ host: to.address, port: to.port, localAddress: this.#options.host })
      const ready = tls ? 'secureConnect' : 'connect'
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new TransportError(`TCP connect to ${to.address}:${to.port} timed out`))
      }, this.#options.connectTimeoutMs)
      socket.once(ready, () => {
        clearTimeout(timer)
        resolve(this.#adopt(socket))
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(
          new TransportError(`TCP connect to ${to.address}:${to.port} failed`, { cause: error }),
        )
      })
    })
  }

  async close(): Promise<void> {
    for (const flow of this.#flows.values()) flow.socket.destroy()
    this.#flows.clear()
    this.#byRemote.clear()
    const server = this.#server
    this.#server = null
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

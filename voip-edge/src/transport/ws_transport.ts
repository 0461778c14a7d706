/**
 * SIP over WebSocket (RFC 7118) for browser phones: an HTTP upgrade with the `sip`
 * subprotocol, then one SIP message per WebSocket message. Server side only — the edge
 * never dials out over WS, it answers over the connection the phone opened.
 * Framing is RFC 6455 with hard limits: masked client frames, ≤ maxMessageBytes per message.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Endpoint, InboundPacket, Transport, TransportStats } from './transport.ts'
import { TransportError } from './transport.ts'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

interface Flow {
  id: string
  socket: Socket
  remote: Endpoint
}

export class WsTransport implements Transport {
  readonly protocol = 'ws' as const
  readonly reliable = true
  readonly stats: TransportStats = { received: 0, sent: 0, dropped: 0, connections: 0 }
  readonly #host: string
  readonly #port: number
  readonly #maxMessageBytes: number
  readonly #flows = new Map<string, Flow>()
  #server: Server | null = null
  #handler: ((packet: InboundPacket) => void) | null = null
  #nextFlow = 1

  constructor(options: { host: string; port: number; maxMessageBytes: number }) {
    this.#host = options.host
    this.#port = options.port
    this.#maxMessageBytes = options.maxMessageBytes
  }

  onPacket(handler: (packet: InboundPacket) => void): void {
    this.#handler = handler
  }

  countDropped(): void {
    this.stats.dropped++
  }

  listen(): Promise<Endpoint> {
    const server = createServer((_request, response) => {
      response.writeHead(426, { upgrade: 'websocket' })
      response.end()
    })
    server.on('upgrade', (request, socket: Socket) => this.#upgrade(request, socket))
    this.#server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, this.#host, () => {
        const address = server.address() as { address: string; port: number }
        resolve({ address: address.address, port: address.port })
      })
    })
  }

  #upgrade(request: IncomingMessage, socket: Socket): void {
    const key = request.headers['sec-websocket-key']
    const protocols = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
    if (
      typeof key !== 'string' ||
      !protocols.includes('sip') ||
      request.headers['sec-websocket-version'] !== '13'
    ) {
      this.stats.dropped++
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
      return
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64')
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
    )
    const flow: Flow = {
      id: `ws-${this.#nextFlow++}`,
      socket,
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
    }
    this.#flows.set(flow.id, flow)
    this.stats.connections = this.#flows.size
    socket.setTimeout(300_000, () => socket.destroy())
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      this.#flows.delete(flow.id)
      this.stats.connections = this.#flows.size
    })
    let buffer: Buffer = Buffer.alloc(0)
    let fragments: Buffer[] = []
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
      for (;;) {
        const frame = readFrame(buffer, this.#maxMessageBytes)
        if (frame === 'incomplete') return
        if (frame === 'invalid') {
          this.stats.dropped++
          socket.destroy()
          return
        }
        buffer = buffer.subarray(frame.length)
        if (frame.opcode === 0x8) {
          socket.end(encodeFrame(0x8, Buffer.alloc(0)))
          return
        }
        if (frame.opcode === 0x9) {
          socket.write(encodeFrame(0xa, frame.payload))
          continue
        }
        if (frame.opcode === 0xa) continue
        fragments.push(frame.payload)
        const size = fragments.reduce((total, part) => total + part.length, 0)
        if (size > this.#maxMessageBytes) {
          this.stats.dropped++
          socket.destroy()
          return
        }
        if (!frame.fin) continue
        const data = Buffer.concat(fragments)
        fragments = []
        this.stats.received++
        this.#handler?.({
          protocol: 'ws',
          data,
          remote: flow.remote,
          flowId: flow.id,
          framingError: null,
        })
      }
    })
  }

  async send(data: Buffer, to: Endpoint, flowId?: string | null): Promise<void> {
    const flow =
      (flowId ? this.#flows.get(flowId) : undefined) ??
      [...this.#flows.values()].find(
        (f) => f.remote.address === to.address && f.remote.port === to.port,
      )
    if (!flow || flow.socket.destroyed)
      throw new TransportError(`no WebSocket connection to ${to.address}:${to.port}`)
    await new Promise<void>((resolve, reject) =>
      flow.socket.write(encodeFrame(0x1, data), (error) =>
        error ? reject(new TransportError('WS send failed', { cause: error })) : resolve(),
      ),
    )
    this.stats.sent++
  }

  async close(): Promise<void> {
    for (const flow of this.#flows.values()) flow.socket.destroy()
    this.#flows.clear()
    const server = this.#server
    this.#server = null
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

type Frame = { fin: boolean; opcode: number; payload: Buffer; length: number }

/** RFC 6455 §5.2; client frames must be masked (§5.1). */
function readFrame(buffer: Buffer, maxBytes: number): Frame | 'incomplete' | 'invalid' {
  if (buffer.length < 2) return 'incomplete'
  const fin = (buffer[0] & 0x80) !== 0
  const opcode = buffer[0] & 0x0f
  const masked = (buffer[1] & 0x80) !== 0
  let length = buffer[1] & 0x7f
  let offset = 2
  if (!masked || (buffer[0] & 0x70) !== 0 || ![0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(opcode))
    return 'invalid'
  if (length === 126) {
    if (buffer.length < 4) return 'incomplete'
    length = buffer.readUInt16BE(2)
    offset = 4
  } else if (length === 127) {
    if (buffer.length < 10) return 'incomplete'
    const big = buffer.readBigUInt64BE(2)
    if (big > BigInt(maxBytes)) return 'invalid'
    length = Number(big)
    offset = 10
  }
  if (length > maxBytes) return 'invalid'
  if (buffer.length < offset + 4 + length) return 'incomplete'
  const mask = buffer.subarray(offset, offset + 4)
  const payload = Buffer.alloc(length)
  for (let i = 0; i < length; i++) payload[i] = buffer[offset + 4 + i] ^ mask[i % 4]
  return { fin, opcode, payload, length: offset + 4 + length }
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length
  const head =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.alloc(4)
        : Buffer.alloc(10)
  if (length >= 126 && length < 65_536) {
    head[0] = 0x80 | opcode
    head[1] = 126
    head.writeUInt16BE(length, 2)
  } else if (length >= 65_536) {
    head[0] = 0x80 | opcode
    head[1] = 127
    head.writeBigUInt64BE(BigInt(length), 2)
  }
  return Buffer.concat([head, payload])
}

/**
 * rtpengine reports every RFC 2833/4733 digit it relays as one JSON datagram on
 * `--dtmf-log-dest` (one object per event: callid, source_tag, event 0–15). The edge binds
 * that destination and hands digits to whoever listens for the call, so Gather and Record
 * never have to see RTP themselves.
 */
import { createSocket, type Socket } from 'node:dgram'
import type { Logger } from 'pino'

export interface DtmfEvent {
  callId: string
  sourceTag: string
  digit: string
}

const DIGITS = '0123456789*#ABCD'

export function digitForEvent(event: number): string | null {
  return Number.isInteger(event) && event >= 0 && event < DIGITS.length ? DIGITS[event] : null
}

export function parseDtmfDatagram(payload: Buffer): DtmfEvent | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload.toString('utf8'))
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const value = parsed as Record<string, unknown>
  if (value.type !== undefined && value.type !== 'DTMF') return null
  if (typeof value.callid !== 'string' || typeof value.event !== 'number') return null
  const digit = digitForEvent(value.event)
  if (digit === null) return null
  return {
    callId: value.callid,
    sourceTag: typeof value.source_tag === 'string' ? value.source_tag : '',
    digit,
  }
}

export class DtmfSink {
  readonly #listeners = new Map<string, Set<(event: DtmfEvent) => void>>()
  readonly #logger: Logger
  #socket: Socket | null = null
  received = 0

  constructor(logger: Logger) {
    this.#logger = logger
  }

  async listen(host: string, port: number): Promise<number> {
    const socket = createSocket('udp4')
    this.#socket = socket
    socket.on('message', (payload) => this.dispatch(payload))
    socket.on('error', (error) => this.#logger.warn({ err: error }, 'DTMF sink socket error'))
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    return socket.address().port
  }

  dispatch(payload: Buffer): void {
    const event = parseDtmfDatagram(payload)
    if (!event) return
    this.received++
    for (const listener of this.#listeners.get(event.callId) ?? []) listener(event)
  }

  /** Digits of one call; the returned function unsubscribes. */
  subscribe(callId: string, listener: (event: DtmfEvent) => void): () => void {
    let set = this.#listeners.get(callId)
    if (!set) this.#listeners.set(callId, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.#listeners.get(callId) === set) this.#listeners.delete(callId)
    }
  }

  async close(): Promise<void> {
    const socket = this.#socket
    this.#socket = null
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()))
  }
}

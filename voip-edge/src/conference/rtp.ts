/**
 * RTP framing for the mixer's outgoing streams (RFC 3550): one SSRC per participant leg,
 * sequence numbers +1 per packet, timestamps +160 per 20 ms of 8 kHz audio — also across
 * frames the clock had to skip, so the far end's jitter buffer sees real time.
 */
import { randomBytes } from 'node:crypto'

export interface RtpHeader {
  payloadType: number
  marker: boolean
  sequence: number
  timestamp: number
  ssrc: number
  payload: Buffer
}

export function parseRtpPacket(data: Buffer): RtpHeader | null {
  if (data.length < 12 || data[0] >> 6 !== 2) return null
  const csrcCount = data[0] & 0x0f
  let offset = 12 + csrcCount * 4
  if (data[0] & 0x10) {
    if (data.length < offset + 4) return null
    offset += 4 + data.readUInt16BE(offset + 2) * 4
  }
  let end = data.length
  if (data[0] & 0x20) end -= data[end - 1]
  if (offset > end) return null
  return {
    payloadType: data[1] & 0x7f,
    marker: (data[1] & 0x80) !== 0,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
  }
}

export class RtpSender {
  readonly ssrc: number
  readonly payloadType: number
  #sequence: number
  #timestamp: number
  #first = true

  constructor(payloadType: number, seed: Buffer = randomBytes(10)) {
    this.payloadType = payloadType
    // Random initial values (RFC 3550 §5.1) make a restarted stream recognisable as new.
    this.ssrc = seed.readUInt32BE(0)
    this.#sequence = seed.readUInt16BE(4)
    this.#timestamp = seed.readUInt32BE(6)
  }

  /** The next packet; `skippedSamples` advances the timestamp over frames never sent. */
  packet(payload: Buffer, skippedSamples = 0): Buffer {
    this.#timestamp = (this.#timestamp + skippedSamples) >>> 0
    const header = Buffer.allocUnsafe(12)
    header[0] = 0x80
    header[1] = (this.#first ? 0x80 : 0) | this.payloadType
    header.writeUInt16BE(this.#sequence, 2)
    header.writeUInt32BE(this.#timestamp, 4)
    header.writeUInt32BE(this.ssrc, 8)
    this.#first = false
    this.#sequence = (this.#sequence + 1) & 0xffff
    this.#timestamp = (this.#timestamp + payload.length) >>> 0
    return Buffer.concat([header, payload])
  }
}

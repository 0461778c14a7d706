/**
 * G.711 for the conference mixer: decoding through 256-entry tables (the same ITU-T
 * expansion as media/audio.ts) and encoding through 64 Ki-entry tables built once, so the
 * 20 ms tick of a full room is table look-ups only.
 */
import { alawToLinear, ulawToLinear } from '../media/audio.ts'

export type G711 = 'PCMU' | 'PCMA'

/** RTP static payload types (RFC 3551). */
export const PAYLOAD_TYPE: Record<G711, number> = { PCMU: 0, PCMA: 8 }

export const ULAW_DECODE = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i))
export const ALAW_DECODE = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i))

/** First segment whose end is ≥ value (8 when beyond the last). */
function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]) return i
  return ends.length
}

const ULAW_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff]
const ALAW_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff]

/** 16-bit linear → µ-law (the classic Sun/CCITT reference algorithm on 14 bits). */
export function linearToUlaw(sample: number): number {
  let value = sample >> 2
  let mask = 0xff
  if (value < 0) {
    value = -value
    mask = 0x7f
  }
  if (value > 8159) value = 8159
  value += 0x84 >> 2
  const seg = segment(value, ULAW_ENDS)
  if (seg >= 8) return 0x7f ^ mask
  return ((seg << 4) | ((value >> (seg + 1)) & 0x0f)) ^ mask
}

/** 16-bit linear → A-law (the classic Sun/CCITT reference algorithm on 13 bits). */
export function linearToAlaw(sample: number): number {
  let value = sample >> 3
  let mask = 0xd5
  if (value < 0) {
    mask = 0x55
    value = -value - 1
  }
  const seg = segment(value, ALAW_ENDS)
  if (seg >= 8) return 0x7f ^ mask
  const low = seg < 2 ? (value >> 1) & 0x0f : (value >> seg) & 0x0f
  return ((seg << 4) | low) ^ mask
}

function encodeTable(encoder: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65_536)
  for (let i = 0; i < 65_536; i++) table[i] = encoder(i - 32_768)
  return table
}

const ULAW_ENCODE = encodeTable(linearToUlaw)
const ALAW_ENCODE = encodeTable(linearToAlaw)

export function decodeInto(codec: G711, payload: Uint8Array, out: Int16Array, at = 0): void {
  const table = codec === 'PCMU' ? ULAW_DECODE : ALAW_DECODE
  for (let i = 0; i < payload.length; i++) out[at + i] = table[payload[i]]
}

export function encode(codec: G711, samples: Int16Array): Buffer {
  const table = codec === 'PCMU' ? ULAW_ENCODE : ALAW_ENCODE
  const out = Buffer.allocUnsafe(samples.length)
  for (let i = 0; i < samples.length; i++) out[i] = table[samples[i] + 32_768]
  return out
}

export function codecOf(payloadType: number): G711 | null {
  return payloadType === 0 ? 'PCMU' : payloadType === 8 ? 'PCMA' : null
}

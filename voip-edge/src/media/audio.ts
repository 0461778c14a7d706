/**
 * Recording conversion without external tools: a pcap reader (rtpengine's userspace
 * recording writes raw-IP pcaps), the caller's RTP stream picked out of it, G.711 µ-law /
 * A-law decoded (ITU-T G.711), gaps filled with silence by RTP timestamp, and written as an
 * 8 kHz 16-bit mono WAV. Also the tiny WAV helpers the prompts need (beep, duration).
 */

export interface PcapPacket {
  /** Capture time, ms since the epoch. */
  timeMs: number
  data: Buffer
  linkType: number
}

export interface PcapHeader {
  little: boolean
  nano: boolean
  linkType: number
}

/** The 24-byte global header of a classic libpcap file (either byte order, µs or ns). */
export function pcapHeader(file: Buffer): PcapHeader | null {
  if (file.length < 24) return null
  const le = file.readUInt32LE(0)
  const be = file.readUInt32BE(0)
  let little: boolean
  let nano: boolean
  if (le === 0xa1b2c3d4 || le === 0xa1b23c4d) ((little = true), (nano = le === 0xa1b23c4d))
  else if (be === 0xa1b2c3d4 || be === 0xa1b23c4d) ((little = false), (nano = be === 0xa1b23c4d))
  else throw new Error('not a pcap file')
  return { little, nano, linkType: little ? file.readUInt32LE(20) : file.readUInt32BE(20) }
}

/**
 * The complete records in `chunk` (which starts at a record boundary) and how many bytes
 * they took: a file still being written may end in a partial record, read it next time.
 */
export function pcapRecords(
  chunk: Buffer,
  header: PcapHeader,
): { packets: PcapPacket[]; consumed: number } {
  const u32 = (offset: number) =>
    header.little ? chunk.readUInt32LE(offset) : chunk.readUInt32BE(offset)
  const packets: PcapPacket[] = []
  let offset = 0
  while (offset + 16 <= chunk.length) {
    const seconds = u32(offset)
    const fraction = u32(offset + 4)
    const included = u32(offset + 8)
    if (offset + 16 + included > chunk.length) break
    packets.push({
      timeMs: seconds * 1000 + (header.nano ? fraction / 1e6 : fraction / 1e3),
      data: chunk.subarray(offset + 16, offset + 16 + included),
      linkType: header.linkType,
    })
    offset += 16 + included
  }
  return { packets, consumed: offset }
}

/** Every complete record of a classic libpcap file. */
export function readPcap(file: Buffer): PcapPacket[] {
  const header = pcapHeader(file)
  return header ? pcapRecords(file.subarray(24), header).packets : []
}

export interface UdpDatagram {
  timeMs: number
  sourceAddress: string
  sourcePort: number
  destinationPort: number
  payload: Buffer
}

/** IPv4/UDP out of a raw-IP (101/228), Ethernet (1) or Linux cooked (113) pcap record. */
export function udpOf(packet: PcapPacket): UdpDatagram | null {
  let ip: Buffer
  if (packet.linkType === 101 || packet.linkType === 228 || packet.linkType === 12) ip = packet.data
  else if (packet.linkType === 1) ip = packet.data.subarray(14)
  else if (packet.linkType === 113) ip = packet.data.subarray(16)
  else return null
  if (ip.length < 28 || ip[0] >> 4 !== 4 || ip[9] !== 17) return null
  const headerLength = (ip[0] & 0x0f) * 4
  const udp = ip.subarray(headerLength)
  if (udp.length < 8) return null
  return {
    timeMs: packet.timeMs,
    sourceAddress: `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`,
    sourcePort: udp.readUInt16BE(0),
    destinationPort: udp.readUInt16BE(2),
    payload: udp.subarray(8, Math.min(udp.length, udp.readUInt16BE(4))),
  }
}

export interface RtpPacket {
  timeMs: number
  payloadType: number
  sequence: number
  timestamp: number
  ssrc: number
  payload: Buffer
}

export function parseRtp(datagram: UdpDatagram): RtpPacket | null {
  const data = datagram.payload
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
    timeMs: datagram.timeMs,
    payloadType: data[1] & 0x7f,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
  }
}

/** ITU-T G.711 µ-law → 16-bit linear. */
export function ulawToLinear(value: number): number {
  const u = ~value & 0xff
  const exponent = (u >> 4) & 0x07
  const mantissa = u & 0x0f
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
  return u & 0x80 ? -magnitude : magnitude
}

/** ITU-T G.711 A-law → 16-bit linear. */
export function alawToLinear(value: number): number {
  const a = value ^ 0x55
  const exponent = (a >> 4) & 0x07
  const mantissa = a & 0x0f
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1)
  if (!(a & 0x80)) magnitude = -magnitude
  return magnitude
}

const ULAW = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i))
const ALAW = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i))

export interface DecodedAudio {
  /** 8 kHz mono samples. */
  samples: Int16Array
  /** Capture time of the first packet, ms since the epoch (null when empty). */
  startMs: number | null
  packets: number
}

/**
 * Decodes one direction's G.711 RTP (PT 0 µ-law, PT 8 A-law; DTMF and comfort noise are
 * skipped). Packets are ordered by RTP timestamp of the dominant SSRC; gaps of up to 2 s are
 * filled with silence so the WAV keeps real time, larger jumps are treated as a restart.
 */
export function decodeG711(packets: RtpPacket[]): DecodedAudio {
  const audio = packets.filter((p) => p.payloadType === 0 || p.payloadType === 8)
  if (audio.length === 0) return { samples: new Int16Array(0), startMs: null, packets: 0 }
  const bySsrc = new Map<number, RtpPacket[]>()
  for (const packet of audio) {
    const list = bySsrc.get(packet.ssrc) ?? []
    list.push(packet)
    bySsrc.set(packet.ssrc, list)
  }
  // One caller, one main stream; a re-INVITE may switch SSRC, so streams follow in time order.
  const streams = [...bySsrc.values()].sort((a, b) => a[0].timeMs - b[0].timeMs)
  const chunks: Int16Array[] = []
  let total = 0
  for (const stream of streams) {
    // Signed distance to the first packet copes with wrap-around and reordered capture.
    const reference = stream[0].timestamp
    const signed = (ts: number) => ((ts - reference + 0x1_8000_0000) % 0x1_0000_0000) - 0x8000_0000
    let base = 0
    for (const packet of stream) base = Math.min(base, signed(packet.timestamp))
    const unwrap = (ts: number) => signed(ts) - base
    const ordered = [...stream].sort((a, b) => unwrap(a.timestamp) - unwrap(b.timestamp))
    let cursor = 0
    const pieces: Int16Array[] = []
    let length = 0
    const seen = new Set<number>()
    for (const packet of ordered) {
      const offset = unwrap(packet.timestamp)
      if (seen.has(offset)) continue
      seen.add(offset)
      const gap = offset - cursor
      if (gap > 0 && gap <= 16_000) {
        pieces.push(new Int16Array(gap))
        length += gap
      }
      const table = packet.payloadType === 0 ? ULAW : ALAW
      const decoded = new Int16Array(packet.payload.length)
      for (let i = 0; i < packet.payload.length; i++) decoded[i] = table[packet.payload[i]]
      pieces.push(decoded)
      length += decoded.length
      cursor = offset + decoded.length
    }
    const joined = new Int16Array(length)
    let at = 0
    for (const piece of pieces) {
      joined.set(piece, at)
      at += piece.length
    }
    chunks.push(joined)
    total += joined.length
  }
  const samples = new Int16Array(total)
  let at = 0
  for (const chunk of chunks) {
    samples.set(chunk, at)
    at += chunk.length
  }
  return { samples, startMs: streams[0][0].timeMs, packets: audio.length }
}

export function wavFile(samples: Int16Array, sampleRate = 8000): Buffer {
  const header = Buffer.alloc(44)
  const dataBytes = samples.length * 2
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + dataBytes, 4)
  header.write('WAVE', 8, 'ascii')
  header.write('fmt ', 12, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(sampleRate, 24)
  header.writeUInt32LE(sampleRate * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(dataBytes, 40)
  const data = Buffer.alloc(dataBytes)
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(samples[i], i * 2)
  return Buffer.concat([header, data])
}

/** Duration of a PCM WAV (ms), from its fmt and data chunks; null when it is not one. */
export function wavDurationMs(file: Buffer): number | null {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF') return null
  let offset = 12
  let byteRate = 0
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4)
    const size = file.readUInt32LE(offset + 4)
    if (id === 'fmt ' && offset + 20 <= file.length) byteRate = file.readUInt32LE(offset + 16)
    if (id === 'data' && byteRate > 0)
      return Math.round((Math.min(size, file.length - offset - 8) / byteRate) * 1000)
    offset += 8 + size + (size % 2)
  }
  return null
}

/** The record beep: 400 ms of 1 kHz at −10 dBFS, 8 kHz. */
export function beepSamples(): Int16Array {
  const samples = new Int16Array(3200)
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(Math.sin((2 * Math.PI * 1000 * i) / 8000) * 10_000)
  return samples
}

/** Mean absolute amplitude per 20 ms frame: silence detection and trimming. */
export function frameLevels(samples: Int16Array, frame = 160): number[] {
  const levels: number[] = []
  for (let start = 0; start < samples.length; start += frame) {
    let sum = 0
    const end = Math.min(samples.length, start + frame)
    for (let i = start; i < end; i++) sum += Math.abs(samples[i])
    levels.push(sum / Math.max(1, end - start))
  }
  return levels
}

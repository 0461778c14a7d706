/**
 * One conference room: its participants' UDP legs (rtpengine sends each caller's audio to a
 * socket of ours and takes the mix back from it), the 20 ms tick that mixes N−1 for every
 * participant, join/leave beeps, wait-for-host, and the optional recording of the room mix.
 */
import { createSocket, type Socket } from 'node:dgram'
import { codecOf, decodeInto, encode, PAYLOAD_TYPE, type G711 } from './g711.ts'
import { FRAME_SAMPLES, FrameClock, JitterFifo, mixTick, type MixInput } from './mix.ts'
import { parseRtpPacket, RtpSender } from './rtp.ts'

/** A short two-note chime at −15 dBFS: rising on join, falling on leave. */
export function chime(direction: 'up' | 'down'): Int16Array {
  const notes = direction === 'up' ? [660, 990] : [990, 660]
  const perNote = 1200 // 150 ms each
  const samples = new Int16Array(perNote * notes.length)
  notes.forEach((frequency, note) => {
    for (let i = 0; i < perNote; i++) {
      // 5 ms fades keep the note edges from clicking.
      const fade = Math.min(1, i / 40, (perNote - i) / 40)
      samples[note * perNote + i] = Math.round(
        Math.sin((2 * Math.PI * frequency * i) / 8000) * 5800 * fade,
      )
    }
  })
  return samples
}

const JOIN = chime('up')
const LEAVE = chime('down')

export interface ParticipantOptions {
  id: string
  muted: boolean
  host: boolean
  endConferenceOnExit: boolean
  beepOnEnter: boolean
  beepOnExit: boolean
}

export class Participant {
  readonly id: string
  readonly options: ParticipantOptions
  readonly socket: Socket
  readonly fifo = new JitterFifo()
  codec: G711 = 'PCMU'
  sender: RtpSender = new RtpSender(PAYLOAD_TYPE.PCMU)
  muted: boolean
  remote: { address: string; port: number } | null = null
  received = 0
  sent = 0
  #private: Int16Array[] = []
  #privateOffset = 0
  #left!: (reason: 'room-ended' | 'removed') => void
  readonly left: Promise<'room-ended' | 'removed'>

  constructor(options: ParticipantOptions, socket: Socket) {
    this.id = options.id
    this.options = options
    this.muted = options.muted
    this.socket = socket
    this.left = new Promise((resolve) => (this.#left = resolve))
    socket.on('message', (data, from) => this.#receive(data, from))
    socket.on('error', () => undefined)
  }

  static async open(options: ParticipantOptions, address: string): Promise<Participant> {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, address, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    return new Participant(options, socket)
  }

  get port(): number {
    return this.socket.address().port
  }

  /** The codec negotiated with rtpengine and where its caller-side port listens. */
  connect(codec: G711, remote: { address: string; port: number }): void {
    this.codec = codec
    this.sender = new RtpSender(PAYLOAD_TYPE[codec])
    this.remote = remote
  }

  queue(samples: Int16Array): void {
    this.#private.push(samples)
  }

  /** This tick's share of queued private audio (beeps), or null. */
  nextPrivate(): Int16Array | null {
    if (this.#private.length === 0) return null
    const out = new Int16Array(FRAME_SAMPLES)
    let filled = 0
    while (filled < FRAME_SAMPLES && this.#private.length > 0) {
      const head = this.#private[0]
      const count = Math.min(FRAME_SAMPLES - filled, head.length - this.#privateOffset)
      out.set(head.subarray(this.#privateOffset, this.#privateOffset + count), filled)
      filled += count
      this.#privateOffset += count
      if (this.#privateOffset >= head.length) {
        this.#private.shift()
        this.#privateOffset = 0
      }
    }
    return out
  }

  send(samples: Int16Array, skippedSamples: number): void {
    if (!this.remote) return
    const packet = this.sender.packet(encode(this.codec, samples), skippedSamples)
    this.sent++
    this.socket.send(packet, this.remote.port, this.remote.address)
  }

  #receive(data: Buffer, from: { address: string; port: number }): void {
    const rtp = parseRtpPacket(data)
    if (!rtp) return
    const codec = codecOf(rtp.payloadType)
    // DTMF events and comfort noise are not audio for the room (dtmf="block").
    if (codec === null || rtp.payload.length === 0 || rtp.payload.length > 1600) return
    this.received++
    // Symmetric RTP: answer where the audio really comes from.
    if (this.remote && (this.remote.port !== from.port || this.remote.address !== from.address))
      this.remote = { address: from.address, port: from.port }
    const samples = new Int16Array(rtp.payload.length)
    decodeInto(codec, rtp.payload, samples)
    this.fifo.push(samples)
  }

  close(reason: 'room-ended' | 'removed'): void {
    try {
      this.socket.close()
    } catch {
      // Already closed.
    }
    this.#left(reason)
  }
}

export interface RoomEnd {
  /** The room mix while it ran (null when not recorded). */
  recording: Int16Array | null
}

export class Room {
  readonly key: string
  readonly name: string
  readonly organizationId: string
  readonly maxParticipants: number
  readonly participants: Participant[] = []
  /** Joins admitted but still setting up their media (they count towards the limit). */
  reserved = 0
  started = false
  ended = false
  #recording: Int16Array[] | null = null
  readonly #clock: FrameClock
  readonly #onEnd: (room: Room, end: RoomEnd) => void

  constructor(init: {
    key: string
    name: string
    organizationId: string
    maxParticipants: number
    onEnd(room: Room, end: RoomEnd): void
    now?: () => number
  }) {
    this.key = init.key
    this.name = init.name
    this.organizationId = init.organizationId
    this.maxParticipants = init.maxParticipants
    this.#onEnd = init.onEnd
    this.#clock = new FrameClock((skipped) => this.tick(skipped), init.now)
  }

  get size(): number {
    return this.participants.length + this.reserved
  }

  get full(): boolean {
    return this.size >= this.maxParticipants
  }

  get recording(): boolean {
    return this.#recording !== null
  }

  get skippedFrames(): number {
    return this.#clock.skipped
  }

  record(): void {
    this.#recording ??= []
  }

  add(participant: Participant): void {
    if (this.ended) throw new Error('room already ended')
    if (participant.options.host) this.started = true
    for (const other of this.participants) if (participant.options.beepOnEnter) other.queue(JOIN)
    if (participant.options.beepOnEnter && this.started) participant.queue(JOIN)
    this.participants.push(participant)
    this.#clock.start()
  }

  /** A participant leaves (hung up or moved on); the room ends with the last one or a host ending it. */
  remove(participant: Participant): void {
    const index = this.participants.indexOf(participant)
    if (index === -1) return
    this.participants.splice(index, 1)
    participant.close('removed')
    if (participant.options.beepOnExit && this.started)
      for (const other of this.participants) other.queue(LEAVE)
    if (this.participants.length === 0 && this.reserved === 0) this.end()
    else if (participant.options.endConferenceOnExit && this.started) this.end()
  }

  end(): void {
    if (this.ended) return
    this.ended = true
    this.#clock.stop()
    for (const participant of this.participants.splice(0)) participant.close('room-ended')
    const chunks = this.#recording
    let recording: Int16Array | null = null
    if (chunks) {
      recording = new Int16Array(chunks.length * FRAME_SAMPLES)
      chunks.forEach((chunk, i) => recording!.set(chunk, i * FRAME_SAMPLES))
    }
    this.#recording = null
    this.#onEnd(this, { recording })
  }

  tick(skippedFrames = 0): void {
    const inputs: MixInput[] = this.participants.map((participant) => ({
      frame: participant.fifo.take(),
      heard: this.started && !participant.muted,
      hears: this.started,
      private: participant.nextPrivate(),
    }))
    const { outputs, room } = mixTick(inputs)
    const skippedSamples = skippedFrames * FRAME_SAMPLES
    this.participants.forEach((participant, i) => participant.send(outputs[i], skippedSamples))
    if (this.#recording && this.started) this.#recording.push(room)
  }
}

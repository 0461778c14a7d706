/**
 * Conference rooms on real calls (`<Dial><Conference>`). rtpengine 10.5 cannot mix, so the
 * edge does: each participant's caller leg is anchored in rtpengine against a UDP socket of
 * ours (the way media verbs anchor it against the sink), the room mixes G.711 itself and
 * sends every participant the others' audio. Rooms are keyed by tenant and name, so two
 * tenants' `sales` rooms never meet.
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { CallSession } from '../b2bua/call_session.ts'
import type { CallDialog } from '../signaling/signaling_port.ts'
import type { RecordingStore } from '../media/recording_store.ts'
import { wavFile } from '../media/audio.ts'
import { httpFetch, type FetchLimits } from '../cxml/http_fetch.ts'
import { signedHeaders } from '../events/signer.ts'
import type { G711 } from './g711.ts'
import type { ConferenceNoun } from './noun.ts'
import { Participant, Room, type RoomEnd } from './room.ts'

export interface ConferenceBridgeOptions {
  /** Where the participants' sockets listen; rtpengine must reach it. */
  address: string
  /** The edge's own ceiling per room (the mixer is sized for 20). */
  maxRoomSize?: number
  recordings: RecordingStore | null
  logger: Logger
  /** Signs recordingStatusCallback requests like every other edge → app request. */
  signingSecret?: string
  fetchLimits?: FetchLimits
}

export type ConferenceOutcome =
  | { result: 'full' }
  | { result: 'failed'; reason: string }
  | { result: 'left'; by: 'hangup' | 'room-ended'; durationSec: number }

/** What the caller must do to take part: answer the call (CallMedia.answer). */
export interface ConferenceMedia {
  answer(): Promise<boolean>
}

interface Offer {
  codec: G711
  payloadType: number
  dtmf: number | null
  remote: { address: string; port: number }
}

/** rtpengine's offer towards the room: the first G.711 codec it lists and its own address. */
export function readOffer(sdp: string): Offer | null {
  const media = /^m=audio (\d+) [^ ]+ ([\d ]+)/m.exec(sdp)
  const connection = /^c=IN IP4 ([^\s]+)/m.exec(sdp)
  if (!media || !connection) return null
  const formats = media[2].trim().split(/\s+/).map(Number)
  const payloadType = formats.find((format) => format === 0 || format === 8)
  if (payloadType === undefined) return null
  const dtmf = /^a=rtpmap:(\d+) telephone-event\/8000/m.exec(sdp)
  return {
    codec: payloadType === 0 ? 'PCMU' : 'PCMA',
    payloadType,
    dtmf: dtmf ? Number(dtmf[1]) : null,
    remote: { address: connection[1], port: Number(media[1]) },
  }
}

/** The room's answer: one G.711 codec (the mixer encodes one), DTMF kept for the DTMF sink. */
export function roomSdp(offer: Offer, address: string, port: number, direction: string): string {
  const formats = [offer.payloadType, ...(offer.dtmf === null ? [] : [offer.dtmf])]
  const id = Date.now()
  return [
    'v=0',
    `o=voip-edge ${id} ${id} IN IP4 ${address}`,
    's=conference',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${formats.join(' ')}`,
    `a=rtpmap:${offer.payloadType} ${offer.codec}/8000`,
    ...(offer.dtmf === null
      ? []
      : [`a=rtpmap:${offer.dtmf} telephone-event/8000`, `a=fmtp:${offer.dtmf} 0-15`]),
    'a=ptime:20',
    `a=${direction}`,
    '',
  ].join('\r\n')
}

const mirrored = (sdp: string) =>
  /^a=sendonly/m.test(sdp) ? 'recvonly' : /^a=recvonly/m.test(sdp) ? 'sendonly' : 'sendrecv'

export class ConferenceBridge {
  readonly rooms = new Map<string, Room>()
  readonly #options: ConferenceBridgeOptions
  readonly #uploads = new Set<Promise<void>>()

  constructor(options: ConferenceBridgeOptions) {
    this.#options = options
  }

  get maxRoomSize(): number {
    return this.#options.maxRoomSize ?? 20
  }

  /** Tenant namespacing: the key is never derived from the room name alone. */
  static key(organizationId: string, name: string): string {
    return `${organizationId}\u0000${name}`
  }

  /**
   * Puts the caller in the room until they hang up or the room ends. `full` is decided
   * before the call is touched, so the caller can still hear an apology.
   */
  async join(
    session: CallSession,
    noun: ConferenceNoun,
    media: ConferenceMedia,
    documentUrl: string | null = null,
  ): Promise<ConferenceOutcome> {
    const key = ConferenceBridge.key(session.organizationId, noun.name)
    let room = this.rooms.get(key)
    if (room?.ended) room = undefined
    if (!room) {
      room = new Room({
        key,
        name: noun.name,
        organizationId: session.organizationId,
        maxParticipants: Math.min(noun.maxParticipants, this.maxRoomSize),
        onEnd: (ended, end) => this.#ended(ended, end, session, noun, documentUrl),
      })
      this.rooms.set(key, room)
    }
    if (room.full) return { result: 'full' }
    room.reserved++
    let participant: Participant | null = null
    let admitted = false
    try {
      participant = await Participant.open(
        {
          id: session.callId,
          muted: noun.muted,
          host: noun.startConferenceOnEnter,
          endConferenceOnExit: noun.endConferenceOnExit,
          beepOnEnter: noun.beepOnEnter,
          beepOnExit: noun.beepOnExit,
        },
        this.#options.address,
      )
      if (!(await media.answer())) return { result: 'left', by: 'hangup', durationSec: 0 }
      // The caller's leg stays as it is; only rtpengine's peer moves from the sink to us.
      const offered = await session.offer(session.a.sdp)
      const offer = readOffer(offered)
      if (!offer) return { result: 'failed', reason: 'no G.711 codec in common' }
      participant.connect(offer.codec, offer.remote)
      const address = this.#options.address
      const port = participant.port
      await session.answer(session.mediaTag!, roomSdp(offer, address, port, mirrored(offered)))
      if (session.cleanedUp || room.ended)
        return { result: 'left', by: session.cleanedUp ? 'hangup' : 'room-ended', durationSec: 0 }
      // Hold/resume while in the room: rtpengine re-offers to the room's socket.
      const roomDialog: CallDialog = {
        id: `conference:${session.callId}`,
        callId: session.callId,
        remoteTag: session.mediaTag!,
        terminated: false,
        modify: async (sdp) => {
          const again = readOffer(sdp) ?? offer
          return roomSdp(again, address, port, mirrored(sdp))
        },
        bye: async () => 200,
        onRemoteBye: () => undefined,
        onModify: () => undefined,
      }
      session.a.dialog?.onModify((sdp) =>
        session.reoffer(session.a.fromTag, session.mediaTag!, sdp, roomDialog),
      )
      if (noun.record) room.record()
      room.reserved--
      admitted = true
      room.add(participant)
      session.log.info(
        { room: noun.name, participants: room.participants.length, codec: offer.codec },
        'joined conference',
      )
      const joinedAt = Date.now()
      const by = await Promise.race([
        session.ended.then(() => 'hangup' as const),
        participant.left.then((reason) => (reason === 'room-ended' ? 'room-ended' : 'hangup')),
      ])
      room.remove(participant)
      return { result: 'left', by, durationSec: Math.round((Date.now() - joinedAt) / 1000) }
    } catch (error) {
      if (session.cleanedUp) return { result: 'left', by: 'hangup', durationSec: 0 }
      session.log.error({ err: error, room: noun.name }, 'conference join failed')
      return { result: 'failed', reason: error instanceof Error ? error.message : String(error) }
    } finally {
      if (!admitted) {
        room.reserved--
        participant?.close('removed')
        if (room.participants.length === 0 && room.reserved === 0) room.end()
      }
    }
  }

  #ended(
    room: Room,
    end: RoomEnd,
    creator: CallSession,
    noun: ConferenceNoun,
    documentUrl: string | null,
  ): void {
    if (this.rooms.get(room.key) === room) this.rooms.delete(room.key)
    const log = this.#options.logger.child({ organizationId: room.organizationId, room: room.name })
    log.info({ skippedFrames: room.skippedFrames }, 'conference ended')
    if (!end.recording || end.recording.length < 4000) return
    const upload = this.#publish(end.recording, room, creator, noun, documentUrl)
      .catch((error: unknown) => log.error({ err: error }, 'conference recording not stored'))
      .finally(() => this.#uploads.delete(upload))
    this.#uploads.add(upload)
  }

  async #publish(
    samples: Int16Array,
    room: Room,
    creator: CallSession,
    noun: ConferenceNoun,
    documentUrl: string | null,
  ): Promise<void> {
    const store = this.#options.recordings
    if (!store) return
    const durationSec = Math.round(samples.length / 8000)
    const url = await store.publish(wavFile(samples), {
      organizationId: room.organizationId,
      callId: creator.callId,
      domain: creator.facts.domain,
      durationSec,
    })
    this.#options.logger.info({ room: room.name, url, durationSec }, 'conference recording stored')
    if (!noun.recordingStatusCallback || !this.#options.signingSecret) return
    const target = new URL(noun.recordingStatusCallback, documentUrl ?? undefined)
    const fields: Record<string, string | number> = {
      RecordingUrl: url,
      RecordingDuration: durationSec,
      RecordingStatus: 'completed',
      ConferenceName: room.name,
      CallSid: creator.callId,
      AccountSid: creator.facts.domain,
      Domain: creator.facts.domain,
    }
    let body = ''
    if (noun.recordingStatusCallbackMethod === 'GET')
      for (const [name, value] of Object.entries(fields))
        target.searchParams.set(name, String(value))
    else body = JSON.stringify(fields)
    const method = noun.recordingStatusCallbackMethod
    await httpFetch(target, {
      method,
      body: method === 'GET' ? undefined : body,
      limits: this.#options.fetchLimits ?? {
        connectTimeoutMs: 3000,
        totalTimeoutMs: 8000,
        maxBytes: 64 * 1024,
      },
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(this.#options.signingSecret, randomUUID(), method, target, body),
      },
    })
  }

  /** Uploads of recordings still under way (tests and shutdown wait for them). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#uploads])
  }

  /** Shutdown: every room ends (its participants' calls are hung up by the call handler). */
  close(): void {
    for (const room of [...this.rooms.values()]) room.end()
  }
}

/**
 * The caller's media while the edge itself is the far end (Say, Play, Gather, Record): the
 * A-leg is anchored in rtpengine against a sink peer, prompts are played into it with
 * `play media`, digits arrive from the DTMF sink and recordings are cut out of rtpengine's
 * pcap. A later Dial takes the sink's place (CallSession.mediaTag), so the caller keeps
 * one media path for the whole call.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CallSession } from '../b2bua/call_session.ts'
import type { CallDialog } from '../signaling/signaling_port.ts'
import type { RtpEngine } from '../media/rtpengine.ts'
import type { DtmfSink, DtmfEvent } from '../media/dtmf_sink.ts'
import type { TtsCache } from '../media/tts.ts'
import type { PromptCache } from '../media/prompt_cache.ts'
import type { RecordingStore } from '../media/recording_store.ts'
import {
  beepSamples,
  decodeG711,
  frameLevels,
  parseRtp,
  pcapHeader,
  pcapRecords,
  readPcap,
  type PcapHeader,
  udpOf,
  wavDurationMs,
  wavFile,
  type RtpPacket,
} from '../media/audio.ts'

export interface MediaServices {
  rtp: Pick<RtpEngine, 'playMedia' | 'stopMedia' | 'startRecording' | 'stopRecording'>
  tts: TtsCache
  prompts: PromptCache
  /** Digits from rtpengine's --dtmf-log-dest; null when no sink is configured. */
  dtmf: DtmfSink | null
  /** rtpengine's --recording-dir (pcap method) on this host; null disables Record. */
  recordingDir: string | null
  recordings: RecordingStore | null
  /** Where rtpengine sends the caller's audio while no one else listens (a discard port). */
  sink: { address: string; port: number }
  /** Folder for generated files (beep, finished recordings). */
  cacheDir: string
}

/**
 * The sink's answer to rtpengine's offer: same codecs, the sink's address, and the mirrored
 * direction (a caller putting the edge on hold with sendonly gets recvonly back).
 */
export function sinkSdp(offer: string, sink: { address: string; port: number }): string {
  return offer
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => {
      if (line.startsWith('c=')) return `c=IN IP4 ${sink.address}`
      if (line.startsWith('m=audio ')) return line.replace(/^m=audio \d+/, `m=audio ${sink.port}`)
      if (line.startsWith('a=rtcp:')) return `a=rtcp:${sink.port + 1}`
      if (line === 'a=sendonly') return 'a=recvonly'
      if (line === 'a=recvonly') return 'a=sendonly'
      if (/^a=(ice-|candidate|fingerprint|setup|crypto)/.test(line)) return null
      return line
    })
    .filter((line): line is string => line !== null)
    .join('\r\n')
    .concat('\r\n')
}

function audioPort(sdp: string): number | null {
  const match = /^m=audio (\d+)/m.exec(sdp)
  return match ? Number(match[1]) : null
}

/** One beep file per cache folder (several edges may share a process in tests). */
const beeps = new Map<string, Promise<string>>()

function beepFile(dir: string): Promise<string> {
  let path = beeps.get(dir)
  if (!path) {
    path = (async () => {
      await mkdir(dir, { recursive: true })
      const file = join(dir, 'record-beep.wav')
      await writeFile(file, wavFile(beepSamples()))
      return file
    })()
    beeps.set(dir, path)
    // A failed write (folder removed) is retried by the next Record.
    path.catch(() => beeps.delete(dir))
  }
  return path
}

export type PlayOutcome = 'done' | 'interrupted' | 'ended'

export interface RecordingResult {
  samples: Int16Array
  durationSec: number
  finishedBy: 'key' | 'silence' | 'max-length' | 'hangup'
  digit: string | null
  url: string | null
}

export class CallMedia {
  readonly #session: CallSession
  readonly #services: MediaServices
  #answerSdp: string | null = null
  /** rtpengine's port facing the caller: what the caller's RTP is sent to (and recorded at). */
  #callerFacingPort: number | null = null
  #recordings = 0
  #recording = false
  #captureCleanup = false

  constructor(session: CallSession, services: MediaServices) {
    this.#session = session
    this.#services = services
  }

  get dtmfAvailable(): boolean {
    return this.#services.dtmf !== null
  }

  get recordingAvailable(): boolean {
    return this.#services.recordingDir !== null && this.#services.recordings !== null
  }

  async #anchor(): Promise<string> {
    if (this.#answerSdp !== null) return this.#answerSdp
    const session = this.#session
    const offered = await session.offer(session.a.sdp)
    session.mediaTag = `edge-${randomBytes(6).toString('hex')}`
    this.#answerSdp = await session.answer(session.mediaTag, sinkSdp(offered, this.#services.sink))
    this.#callerFacingPort = audioPort(this.#answerSdp)
    return this.#answerSdp
  }

  /** Early media (183): prompts play before answer, e.g. `answer="false"` or the apology. */
  async earlyMedia(): Promise<boolean> {
    const session = this.#session
    if (session.a.state !== 'early') return session.a.state === 'confirmed'
    const fresh = this.#answerSdp === null
    const sdp = await this.#anchor()
    if (fresh && session.a.state === 'early') session.a.progress(183, sdp)
    return session.a.state === 'early'
  }

  /** Answers the caller with the anchored media (media verbs answer the call, §6.4). */
  async answer(): Promise<boolean> {
    const session = this.#session
    if (session.a.state === 'confirmed') return true
    if (session.a.state !== 'early' || session.cleanedUp) return false
    const sdp = await this.#anchor()
    if (session.a.state !== 'early' || session.cleanedUp) return false
    const confirmed = session.a.answer(sdp)
    session.answeredAt ??= Date.now()
    session.onStatus?.(session, 'connected')
    try {
      const dialog = await confirmed
      dialog.onRemoteBye(() => void session.cleanup('completed'))
      // Hold/resume or a codec change while the edge is the far end: rtpengine re-offers
      // to the sink, whose mirrored answer goes back to the caller.
      dialog.onModify((offer) =>
        session.reoffer(session.a.fromTag, session.mediaTag!, offer, this.#sinkDialog()),
      )
      return !session.cleanedUp
    } catch (error) {
      session.log.warn({ err: error }, 'caller never confirmed the answer')
      await session.cleanup('failed')
      return false
    }
  }

  /** The sink as a dialog for CallSession.reoffer: it answers every offer itself. */
  #sinkDialog(): CallDialog {
    const sink = this.#services.sink
    return {
      id: `sink:${this.#session.callId}`,
      callId: this.#session.callId,
      remoteTag: this.#session.mediaTag!,
      terminated: false,
      modify: async (offer) => sinkSdp(offer, sink),
      bye: async () => 200,
      onRemoteBye: () => undefined,
      onModify: () => undefined,
    }
  }

  /** Waits `ms` unless the call ends or `interrupt` settles first. */
  wait(ms: number, interrupt?: Promise<unknown>): Promise<'elapsed' | 'interrupted' | 'ended'> {
    const session = this.#session
    if (session.cleanedUp) return Promise.resolve('ended')
    return new Promise((resolve) => {
      let done = false
      const finish = (value: 'elapsed' | 'interrupted' | 'ended') => {
        if (done) return
        done = true
        session.clearTimer(timer)
        resolve(value)
      }
      const timer = session.setTimer(ms, () => finish('elapsed'))
      void session.ended.then(() => finish('ended'))
      void interrupt?.then(() => finish('interrupted'))
    })
  }

  /** Plays one file to the caller and waits for its end (or the interrupt, which stops it). */
  async playFile(file: string, interrupt?: Promise<unknown>): Promise<PlayOutcome> {
    const session = this.#session
    if (session.cleanedUp) return 'ended'
    const reported = await this.#services.rtp.playMedia({
      callId: session.callId,
      fromTag: session.a.fromTag,
      file,
    })
    const durationMs =
      reported ?? wavDurationMs(await readFile(file).catch(() => Buffer.alloc(0))) ?? 1000
    const outcome = await this.wait(durationMs + 60, interrupt)
    if (outcome === 'interrupted') {
      await this.#services.rtp
        .stopMedia({ callId: session.callId, fromTag: session.a.fromTag })
        .catch(() => undefined)
      return 'interrupted'
    }
    return outcome === 'ended' ? 'ended' : 'done'
  }

  say(text: string, voice: string, language: string): Promise<string> {
    return this.#services.tts.file(text, voice, language)
  }

  prompt(url: string, base: string | null): Promise<string> {
    return this.#services.prompts.file(url, base)
  }

  /** The caller's digits (only theirs: rtpengine reports the B-leg's too). */
  onDigit(listener: (event: DtmfEvent) => void): () => void {
    const session = this.#session
    const sink = this.#services.dtmf
    if (!sink) return () => undefined
    return sink.subscribe(session.callId, (event) => {
      if (event.sourceTag === '' || event.sourceTag === session.a.fromTag) listener(event)
    })
  }

  beep(): Promise<string> {
    return beepFile(this.#services.cacheDir)
  }

  /**
   * Records the caller until a finish key, `silenceSec` of silence, `maxLengthSec`, or
   * hang-up; the audio is cut from rtpengine's pcap (packets to the caller-facing port since
   * the start) and published as WAV. `url` is null for an empty recording.
   */
  async record(options: {
    maxLengthSec: number
    silenceSec: number
    finishOnKey: string
    trimSilence: boolean
  }): Promise<RecordingResult> {
    const session = this.#session
    const recordingDir = this.#services.recordingDir!
    // rtpengine's pcap and metadata files of this call go once the call is over and no
    // recording is being cut from them any more.
    if (!this.#captureCleanup) {
      this.#captureCleanup = true
      void session.ended.then(() => {
        if (!this.#recording) void this.#removeCapture(recordingDir)
      })
    }
    this.#recording = true
    try {
      return await this.#record(options)
    } finally {
      this.#recording = false
      if (session.cleanedUp) await this.#removeCapture(recordingDir)
    }
  }

  async #record(options: {
    maxLengthSec: number
    silenceSec: number
    finishOnKey: string
    trimSilence: boolean
  }): Promise<RecordingResult> {
    const session = this.#session
    const services = this.#services
    const recordingDir = services.recordingDir!
    const startedAt = Date.now()
    await services.rtp.startRecording({ callId: session.callId, fromTag: session.a.fromTag })
    // Set from callbacks: an object keeps TypeScript from narrowing it to its initial value.
    const end: { by: RecordingResult['finishedBy']; digit: string | null } = {
      by: 'max-length',
      digit: null,
    }
    let stop!: () => void
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    const unsubscribe = this.onDigit((event) => {
      if (options.finishOnKey.includes(event.digit)) {
        end.by = 'key'
        end.digit = event.digit
        stop()
      }
    })
    // Silence is judged from the pcap as rtpengine writes it (flushed in small batches),
    // reading only what was appended since the last look.
    const watch = new VoiceWatch(
      recordingDir,
      this.#session.callId,
      startedAt,
      () => this.#callerFacingPort,
    )
    let looking = false
    const poll =
      options.silenceSec > 0
        ? setInterval(() => {
            if (looking) return
            looking = true
            void watch
              .lastVoiceMs()
              .then((last) => {
                if (last !== null && Date.now() - last > options.silenceSec * 1000) {
                  end.by = 'silence'
                  stop()
                }
              })
              .finally(() => (looking = false))
          }, 500)
        : null
    const outcome = await this.wait(options.maxLengthSec * 1000, stopped)
    if (poll) clearInterval(poll)
    unsubscribe()
    if (outcome === 'ended') end.by = 'hangup'
    const { by: finishedBy, digit } = end
    const stoppedAt = Date.now()
    if (!session.cleanedUp)
      await services.rtp
        .stopRecording({ callId: session.callId, fromTag: session.a.fromTag })
        .catch((error: unknown) => session.log.warn({ err: error }, 'stop recording failed'))
    else await session.ended

    const packets = await this.#callerPackets(recordingDir, startedAt, stoppedAt)
    let { samples } = decodeG711(packets)
    if (options.trimSilence) samples = trimSilence(samples)
    const durationSec = Math.round((samples.length / 8000) * 10) / 10
    if (samples.length < 4000) return { samples, durationSec, finishedBy, digit, url: null }
    const wav = wavFile(samples)
    const dir = join(services.cacheDir, 'recordings')
    await mkdir(dir, { recursive: true })
    const file = join(dir, `${session.callId.replace(/[^\w.-]/g, '_')}-${++this.#recordings}.wav`)
    await writeFile(file, wav)
    let url: string
    try {
      url = await services.recordings!.publish(wav, {
        organizationId: session.organizationId,
        callId: session.callId,
        domain: session.facts.domain,
        durationSec: Math.round(durationSec),
      })
    } catch (error) {
      // Kept on disk so an operator can still hand the message over.
      session.log.error({ err: error, file }, 'recording upload failed; the WAV is kept')
      throw error
    }
    await unlink(file).catch(() => undefined)
    return { samples, durationSec, finishedBy, digit, url }
  }

  async #callerPackets(dir: string, fromMs: number, toMs: number): Promise<RtpPacket[]> {
    const pcaps = join(dir, 'pcaps')
    const all = await readdir(pcaps).catch(() => [] as string[])
    const names = all.filter((name) => {
      try {
        return decodeURIComponent(name).startsWith(`${this.#session.callId}-`)
      } catch {
        return false
      }
    })
    const packets: RtpPacket[] = []
    for (const name of names) {
      const file = await readFile(join(pcaps, name)).catch(() => null)
      if (!file) continue
      for (const record of readPcap(file)) {
        if (record.timeMs < fromMs - 50 || record.timeMs > toMs + 500) continue
        const datagram = udpOf(record)
        if (!datagram || datagram.destinationPort !== this.#callerFacingPort) continue
        const rtp = parseRtp(datagram)
        if (rtp) packets.push(rtp)
      }
    }
    return packets
  }

  async #removeCapture(dir: string): Promise<void> {
    const prefix = `${this.#session.callId}-`
    for (const [sub, head] of [
      ['pcaps', ''],
      ['metadata', 'rtpengine-meta-'],
    ] as const) {
      const names = await readdir(join(dir, sub)).catch(() => [] as string[])
      for (const name of names) {
        let decoded: string
        try {
          decoded = decodeURIComponent(name)
        } catch {
          continue
        }
        if (decoded.startsWith(head + prefix))
          await unlink(join(dir, sub, name)).catch(() => undefined)
      }
    }
  }
}

/** Mean absolute amplitude below which a 20 ms frame is silence (about −44 dBFS). */
const SILENCE_LEVEL = 200

function trimSilence(samples: Int16Array): Int16Array {
  const levels = frameLevels(samples)
  const first = levels.findIndex((level) => level > SILENCE_LEVEL)
  if (first === -1) return samples.subarray(0, 0)
  let last = levels.length - 1
  while (last > first && levels[last] <= SILENCE_LEVEL) last--
  return samples.subarray(first * 160, Math.min(samples.length, (last + 1) * 160))
}

/** Follows a call's growing pcap files: when did the caller last make a sound? */
class VoiceWatch {
  readonly #dir: string
  readonly #callId: string
  readonly #fromMs: number
  readonly #port: () => number | null
  readonly #files = new Map<string, { offset: number; header: PcapHeader | null }>()
  #lastVoice: number | null = null
  #packets = 0

  constructor(dir: string, callId: string, fromMs: number, port: () => number | null) {
    this.#dir = join(dir, 'pcaps')
    this.#callId = callId
    this.#fromMs = fromMs
    this.#port = port
  }

  async lastVoiceMs(): Promise<number | null> {
    const names = await readdir(this.#dir).catch(() => [] as string[])
    for (const name of names) {
      let decoded: string
      try {
        decoded = decodeURIComponent(name)
      } catch {
        continue
      }
      if (decoded.startsWith(`${this.#callId}-`)) await this.#follow(name)
    }
    // Before any voice, silence counts from the start of the recording.
    return this.#lastVoice ?? (this.#packets > 0 ? this.#fromMs : null)
  }

  async #follow(name: string): Promise<void> {
    const state = this.#files.get(name) ?? { offset: 0, header: null }
    this.#files.set(name, state)
    const handle = await open(join(this.#dir, name), 'r').catch(() => null)
    if (!handle) return
    try {
      const { size } = await handle.stat()
      if (size <= state.offset) return
      const chunk = Buffer.alloc(size - state.offset)
      await handle.read(chunk, 0, chunk.length, state.offset)
      let body = chunk
      if (state.header === null) {
        if (chunk.length < 24) return
        state.header = pcapHeader(chunk)
        state.offset = 24
        body = chunk.subarray(24)
      }
      const { packets, consumed } = pcapRecords(body, state.header!)
      state.offset += consumed
      for (const record of packets) {
        if (record.timeMs < this.#fromMs - 50) continue
        const datagram = udpOf(record)
        if (!datagram || datagram.destinationPort !== this.#port()) continue
        const rtp = parseRtp(datagram)
        if (!rtp || (rtp.payloadType !== 0 && rtp.payloadType !== 8)) continue
        this.#packets++
        const { samples } = decodeG711([rtp])
        if (frameLevels(samples, samples.length || 1)[0] > SILENCE_LEVEL)
          this.#lastVoice = Math.max(this.#lastVoice ?? 0, rtp.timeMs)
      }
    } finally {
      await handle.close()
    }
  }
}

/**
 * `<Dial record="record-from-answer">`: the bridged call is recorded by rtpengine (pcap
 * method) from the answer until either side hangs up. rtpengine's pcap holds what it
 * received on each of its sockets, so the two directions are the two destination ports;
 * each is decoded on its own and both are mixed into one mono 8 kHz WAV placed on the
 * recording's wall clock (a late or silent side does not shift the other). The WAV is
 * uploaded after the call with `purpose=call`, which makes the app link it to the call log.
 */
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { CallSession } from '../b2bua/call_session.ts'
import type { MediaServices } from './call_media.ts'
import { decodeG711, parseRtp, readPcap, udpOf, wavFile, type RtpPacket } from '../media/audio.ts'

/** The record attribute values that mean "record the bridged call" (contract §2, TwiML). */
export function recordsDial(value: string | undefined): boolean {
  if (value === undefined) return false
  const text = value.trim().toLowerCase()
  return (
    text === 'true' ||
    text === 'record-from-answer' ||
    text === 'record-from-start' ||
    text === 'record-from-answer-dual' ||
    text === 'record-from-ringing'
  )
}

function captureNames(all: string[], callId: string, head: string): string[] {
  return all.filter((name) => {
    try {
      return decodeURIComponent(name).startsWith(`${head}${callId}-`)
    } catch {
      return false
    }
  })
}

/** Every RTP packet of the call in rtpengine's pcaps, by the rtpengine port it reached. */
async function directions(dir: string, callId: string): Promise<Map<number, RtpPacket[]>> {
  const pcaps = join(dir, 'pcaps')
  const names = captureNames(await readdir(pcaps).catch(() => [] as string[]), callId, '')
  const byPort = new Map<number, RtpPacket[]>()
  for (const name of names) {
    const file = await readFile(join(pcaps, name)).catch(() => null)
    if (!file) continue
    for (const record of readPcap(file)) {
      const datagram = udpOf(record)
      if (!datagram) continue
      const rtp = parseRtp(datagram)
      if (!rtp) continue
      const list = byPort.get(datagram.destinationPort) ?? []
      list.push(rtp)
      byPort.set(datagram.destinationPort, list)
    }
  }
  return byPort
}

/**
 * Mixes the directions into one track starting at `fromMs` and at least `minSamples` long
 * (the recorded window: silence at the end of a call is part of it).
 */
export function mixDirections(
  streams: RtpPacket[][],
  fromMs: number,
  minSamples: number,
): Int16Array {
  const decoded = streams
    .map((packets) => decodeG711(packets))
    .filter((audio) => audio.startMs !== null && audio.samples.length > 0)
  const placed = decoded.map((audio) => ({
    at: Math.max(0, Math.round((audio.startMs! - fromMs) * 8)),
    samples: audio.samples,
  }))
  const length = Math.max(minSamples, ...placed.map((p) => p.at + p.samples.length))
  const sum = new Int32Array(length)
  for (const { at, samples } of placed)
    for (let i = 0; i < samples.length; i++) sum[at + i] += samples[i]
  const mixed = new Int16Array(length)
  for (let i = 0; i < length; i++) mixed[i] = Math.max(-32768, Math.min(32767, sum[i]))
  return mixed
}

async function removeCapture(dir: string, callId: string): Promise<void> {
  for (const [sub, head] of [
    ['pcaps', ''],
    ['metadata', 'rtpengine-meta-'],
  ] as const) {
    const names = captureNames(
      await readdir(join(dir, sub)).catch(() => [] as string[]),
      callId,
      head,
    )
    for (const name of names) await unlink(join(dir, sub, name)).catch(() => undefined)
  }
}

/** In-flight call recordings, so shutdown and tests can wait for their uploads. */
const pending = new Set<Promise<void>>()

export async function dialRecordingsSettled(): Promise<void> {
  await Promise.allSettled([...pending])
}

/**
 * Starts recording the bridged call now and, once it ended, uploads the mix. Never throws:
 * a recording that fails is logged, the call itself is not affected.
 */
export function recordBridgedCall(session: CallSession, services: MediaServices): void {
  const dir = services.recordingDir
  const store = services.recordings
  if (dir === null || store === null) {
    session.log.warn('Dial record requested without a recording directory/store: not recorded')
    return
  }
  const work = (async () => {
    const startedAt = Date.now()
    try {
      await services.rtp.startRecording({ callId: session.callId, fromTag: session.a.fromTag })
    } catch (error) {
      session.log.warn({ err: error }, 'call recording could not start')
      return
    }
    await session.ended
    const endedAt = Date.now()
    // rtpengine writes its pcap in small batches; the call's deletion flushes the rest.
    await new Promise((resolve) => setTimeout(resolve, 300))
    try {
      const byPort = await directions(dir, session.callId)
      const samples = mixDirections(
        [...byPort.values()],
        startedAt,
        Math.round((endedAt - startedAt) * 8),
      )
      if (byPort.size === 0 || samples.length < 4000) {
        session.log.warn({ directions: byPort.size }, 'call recording is empty: not stored')
        return
      }
      const durationSec = Math.round(samples.length / 8000)
      const url = await store.publish(wavFile(samples), {
        organizationId: session.organizationId,
        callId: session.callId,
        domain: session.facts.domain,
        durationSec,
        purpose: 'call',
      })
      session.log.info({ url, durationSec, directions: byPort.size }, 'call recording stored')
    } catch (error) {
      session.log.error({ err: error }, 'call recording could not be stored')
    } finally {
      await removeCapture(dir, session.callId)
    }
  })()
  pending.add(work)
  void work.finally(() => pending.delete(work))
}

/**
 * Everything one call acquired — the rtpengine session, timers, its legs — and the single
 * `cleanup()` that releases all of it, whichever way the call ends (answered and hung up,
 * cancelled, rejected, failed, or the edge shutting down).
 */
import type { Logger } from 'pino'
import type { RtpEngine } from '../media/rtpengine.ts'

/** The media operations a call needs (RtpEngine implements it; unit tests fake it). */
export type MediaControl = Pick<RtpEngine, 'offer' | 'answer' | 'delete'>
import type { Clock, TimerHandle } from '../transaction/clock.ts'
import type { CallDialog, InboundCall, OutboundCall } from '../signaling/signaling_port.ts'

export type CallEnd =
  | 'completed'
  | 'cancel'
  | 'busy'
  | 'noanswer'
  | 'rejected'
  | 'failed'
  | 'shutdown'
  /** rtpengine no longer holds the call's media session (it restarted): nothing to relay. */
  | 'media_lost'
  /** The edge process holding the call died; another one hung it up (b2bua/call_records.ts). */
  | 'edge_restart'

export class CallSession {
  readonly callId: string
  readonly organizationId: string
  readonly log: Logger
  readonly startedAt: number
  readonly a: InboundCall
  readonly forks: OutboundCall[] = []
  bDialog: CallDialog | null = null
  answeredAt: number | null = null
  endedAt: number | null = null
  endReason: CallEnd | null = null
  /** What the CDR reports: tenant domain and the caller/called extension numbers. */
  facts = { domain: '', from: '', to: '' }
  rtpPackets: number | null = null
  /**
   * Set once the edge itself answered the caller's media (Say/Play/Gather/Record): the
   * rtpengine peer of the caller is then this tag, and a later B-leg takes it over instead
   * of opening a second branch, so the caller's media path never changes.
   */
  mediaTag: string | null = null
  readonly ended: Promise<void>
  readonly #media: MediaControl
  readonly #clock: Clock
  readonly #timers = new Set<TimerHandle>()
  readonly #onEnded: (session: CallSession) => void
  /** Status transitions for M4 session updates (processing, ringing, connected, terminal). */
  onStatus:
    | ((session: CallSession, status: 'processing' | 'ringing' | 'connected' | 'ended') => void)
    | null = null
  #mediaSession: { callId: string } | null = null
  #mediaAnchored = false
  #cleanup: Promise<void> | null = null
  #markEnded!: () => void

  constructor(init: {
    a: InboundCall
    organizationId: string
    log: Logger
    media: MediaControl
    clock: Clock
    onEnded(session: CallSession): void
  }) {
    this.a = init.a
    this.callId = init.a.callId
    this.organizationId = init.organizationId
    this.log = init.log
    this.#media = init.media
    this.#clock = init.clock
    this.#onEnded = init.onEnded
    this.startedAt = init.clock.now()
    this.ended = new Promise((resolve) => (this.#markEnded = resolve))
  }

  get cleanedUp(): boolean {
    return this.#cleanup !== null
  }

  /**
   * True once rtpengine confirmed the caller's offer and until cleanup: from then on a
   * session list of rtpengine that lacks this call means rtpengine lost it.
   */
  get mediaAnchored(): boolean {
    return this.#mediaAnchored && this.#mediaSession !== null
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const handle = this.#clock.setTimer(delayMs, () => {
      this.#timers.delete(handle)
      callback()
    })
    this.#timers.add(handle)
    return handle
  }

  clearTimer(handle: TimerHandle | null): void {
    if (!handle) return
    this.#clock.clearTimer(handle)
    this.#timers.delete(handle)
  }

  /** Anchors the caller's offer in rtpengine; from here on the media session is ours to delete. */
  async offer(sdp: string): Promise<string> {
    this.#mediaSession = { callId: this.callId }
    const result = await this.#media.offer({
      callId: this.callId,
      fromTag: this.a.fromTag,
      sdp,
      extra: this.mediaTag === null ? undefined : { 'to-tag': this.mediaTag },
    })
    this.#mediaAnchored = true
    return result.sdp
  }

  async answer(toTag: string, sdp: string): Promise<string> {
    const result = await this.#media.answer({
      callId: this.callId,
      fromTag: this.a.fromTag,
      toTag: this.mediaTag ?? toTag,
      sdp,
    })
    return result.sdp
  }

  /** A B-leg's tag names the edge's media peer in rtpengine once the edge answered. */
  #mediaPeer(tag: string): string {
    return this.mediaTag !== null && tag !== this.a.fromTag ? this.mediaTag : tag
  }

  /**
   * Relays a mid-call offer (hold/resume, codec change) from one leg to the other through
   * rtpengine: the offerer's tag is the ng from-tag, whichever side it is on.
   */
  async reoffer(
    offererTag: string,
    answererTag: string,
    sdp: string,
    other: CallDialog,
  ): Promise<string> {
    offererTag = this.#mediaPeer(offererTag)
    answererTag = this.#mediaPeer(answererTag)
    const offer = await this.#media.offer({
      callId: this.callId,
      fromTag: offererTag,
      sdp,
      extra: { 'to-tag': answererTag },
    })
    const answer = await other.modify(offer.sdp)
    const result = await this.#media.answer({
      callId: this.callId,
      fromTag: offererTag,
      toTag: answererTag,
      sdp: answer,
    })
    return result.sdp
  }

  /** Idempotent: every exit path calls it, only the first one does the work. */
  cleanup(reason: CallEnd): Promise<void> {
    this.#cleanup ??= this.#release(reason)
    return this.#cleanup
  }

  async #release(reason: CallEnd): Promise<void> {
    this.endReason = reason
    this.endedAt = this.#clock.now()
    for (const handle of this.#timers) this.#clock.clearTimer(handle)
    this.#timers.clear()
    for (const fork of this.forks) fork.cancel()
    this.a.release()
    if (this.#mediaSession) {
      try {
        const stats = await this.#media.delete({ callId: this.#mediaSession.callId })
        this.rtpPackets = stats.rtpPackets
      } catch (error) {
        // rtpengine may already have dropped it (timeout); the call is over either way.
        this.log.warn({ err: error }, 'rtpengine delete failed')
      }
      this.#mediaSession = null
    }
    this.log.info(
      { reason, durationMs: this.#clock.now() - this.startedAt, rtpPackets: this.rtpPackets },
      'call ended',
    )
    this.onStatus?.(this, 'ended')
    this.#onEnded(this)
    this.#markEnded()
  }
}

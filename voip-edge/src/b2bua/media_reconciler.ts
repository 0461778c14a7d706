/**
 * Finds the calls whose rtpengine session is gone (rtpengine restarted: it answers again but
 * starts empty, and the ports both parties send to are closed or belong to other calls) and
 * has them torn down, so no dialog stays up that carries no media.
 *
 * rtpengine keeps no state across a restart and the ng protocol has no "I restarted" signal,
 * so the edge compares: after rtpengine recovers (its pings time out, then answer again) and
 * every `everyMs` otherwise (a restart quicker than one probe interval is missed by pings).
 *
 * An rtpengine that does not come back within `giveUpMs` has taken the media of every call
 * with it: the parties hear silence on a dialog that looks up. Those calls are hung up then
 * rather than left to the phones' session timers or the callers' patience.
 */
import type { Logger } from 'pino'
import type { RtpEngine } from '../media/rtpengine.ts'
import { MediaCommandError } from '../media/errors.ts'
import type { CallSession } from './call_session.ts'

/** More call-ids than this in one list reply are confirmed one by one with `query`. */
const LIST_LIMIT = 100_000

export class MediaReconciler {
  readonly #media: Pick<RtpEngine, 'list' | 'query'>
  readonly #sessions: () => Iterable<CallSession>
  readonly #tearDown: (session: CallSession) => Promise<void>
  readonly #logger: Logger
  readonly #everyMs: number
  readonly #now: () => number
  readonly #giveUpMs: number
  #lastRun = 0
  #downSince: number | null = null
  #gaveUp = false
  #running: Promise<number> | null = null

  constructor(options: {
    media: Pick<RtpEngine, 'list' | 'query'>
    sessions(): Iterable<CallSession>
    tearDown(session: CallSession): Promise<void>
    logger: Logger
    everyMs: number
    /** Unreachable this long: tear down every anchored call (0: never). */
    giveUpMs?: number
    now?: () => number
  }) {
    this.#media = options.media
    this.#sessions = options.sessions
    this.#tearDown = options.tearDown
    this.#logger = options.logger
    this.#everyMs = options.everyMs
    this.#now = options.now ?? Date.now
    this.#giveUpMs = options.giveUpMs ?? 0
    this.#lastRun = this.#now()
  }

  /** A probe result (MediaHealth.onProbe): reconciles when rtpengine is back, or when due. */
  onProbe(healthy: boolean, recovered: boolean): void {
    if (!healthy) {
      this.#downSince ??= this.#now()
      if (this.#giveUpMs > 0 && !this.#gaveUp && this.#now() - this.#downSince >= this.#giveUpMs) {
        this.#gaveUp = true
        void this.abandon()
      }
      return
    }
    this.#downSince = null
    this.#gaveUp = false
    if (recovered || this.#now() - this.#lastRun >= this.#everyMs) void this.run()
  }

  /** Tears down the calls rtpengine no longer holds; resolves with how many there were. */
  run(): Promise<number> {
    this.#running ??= this.#reconcile().finally(() => {
      this.#running = null
    })
    return this.#running
  }

  /** rtpengine stayed unreachable: hangs up every anchored call; resolves with how many. */
  async abandon(): Promise<number> {
    const anchored = [...this.#sessions()].filter((session) => session.mediaAnchored)
    if (anchored.length === 0) return 0
    this.#logger.error(
      { calls: anchored.length, unreachableMs: this.#now() - (this.#downSince ?? this.#now()) },
      'rtpengine unreachable: hanging up the calls whose media it carried',
    )
    await Promise.allSettled(anchored.map((session) => this.#tearDown(session)))
    return anchored.length
  }

  async #reconcile(): Promise<number> {
    this.#lastRun = this.#now()
    // Taken before `list` is sent: every offer confirmed by now was handled by rtpengine
    // before the list request, so an id missing from the reply is not a race with setup.
    const anchored = [...this.#sessions()].filter((session) => session.mediaAnchored)
    if (anchored.length === 0) return 0
    let held: Set<string>
    try {
      held = new Set(await this.#media.list(LIST_LIMIT))
    } catch (error) {
      this.#logger.warn({ err: error }, 'rtpengine list failed: media not reconciled')
      return 0
    }
    const lost: CallSession[] = []
    for (const session of anchored) {
      if (held.has(session.callId) || !session.mediaAnchored) continue
      // A truncated list, or a call ended meanwhile: only rtpengine's own "unknown call"
      // answer proves the session is gone; a timeout proves nothing.
      try {
        await this.#media.query(session.callId)
      } catch (error) {
        if (
          error instanceof MediaCommandError &&
          /unknown call/i.test(error.reason) &&
          session.mediaAnchored
        )
          lost.push(session)
      }
    }
    if (lost.length > 0)
      this.#logger.error(
        { calls: lost.length, callIds: lost.slice(0, 20).map((session) => session.callId) },
        'rtpengine lost the media of calls in progress: tearing them down',
      )
    await Promise.allSettled(lost.map((session) => this.#tearDown(session)))
    return lost.length
  }
}

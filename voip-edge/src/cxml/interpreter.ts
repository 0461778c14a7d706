/**
 * Executes a call's CXML (contract §2, §6.4): documents in stages, each verb in order; a
 * verb whose `action` completes (Dial, Gather, Record) or a Redirect fetches the next
 * document, which replaces the rest of the current one. Relative URLs resolve against the
 * URL of the document they came from. Media verbs answer the call (Pause does not); an
 * unusable document or an app that does not answer in time gets the fallback: an apology
 * as early media (or in-call) and Reject congestion.
 */
import type { Logger } from 'pino'
import { CxmlError, parseCxml, rejectStatus, type CxmlVerb } from '../routing/cxml.ts'
import {
  APP_UNAVAILABLE_RETRY_AFTER_S,
  RoutingError,
  type RouteRequest,
  type Router,
} from '../routing/router.ts'
import { CredentialStoreError } from '../registrar/http_credential_store.ts'
import type { CallSession } from '../b2bua/call_session.ts'
import { CallMedia, type MediaServices } from './call_media.ts'
import type { GatherVerb, PlayVerb, Prompt, RecordVerb, SayVerb } from './verbs.ts'
import type { ConferenceBridge } from '../conference/bridge.ts'
import { recordBridgedCall } from './dial_recording.ts'

export type DialVerb = Extract<CxmlVerb, { verb: 'Dial' }>
export type DialOutcome =
  | 'bridged'
  /** `dialStatus` overrides the DialCallStatus derived from `status` (e.g. `failed` for an
   *  extension without any registered phone, which SIP answers 480 like a ring timeout). */
  | { status: number; reason?: string; dialStatus?: 'busy' | 'no-answer' | 'failed' }

export interface InterpreterDeps {
  router: Router
  /** Rings the Dial targets; the call handler owns target resolution (extensions, trunks). */
  dial(session: CallSession, verb: DialVerb): Promise<DialOutcome>
  /** Media verbs need rtpengine play/record and the TTS/prompt caches; null skips them. */
  media: MediaServices | null
  /** Conference rooms (`<Dial><Conference>`); without it the noun fails like a dead target. */
  conferences?: ConferenceBridge | null
  maxDocuments?: number
  apology?: string
}

const ROOM_FULL = 'We are sorry, this conference is full. Please try again later.'
const APOLOGY = 'We are sorry, your call cannot be completed right now. Please try again later.'

type Step = 'next' | 'replaced' | 'stop'

export class CxmlInterpreter {
  readonly #session: CallSession
  readonly #request: RouteRequest
  readonly #deps: InterpreterDeps
  readonly #log: Logger
  readonly #media: CallMedia | null
  #documentUrl: string | null
  #document: CxmlVerb[] = []
  #documents = 0
  #lastFailure = 480
  #lastReason: string | undefined

  constructor(session: CallSession, request: RouteRequest, deps: InterpreterDeps) {
    this.#session = session
    this.#request = request
    this.#deps = deps
    this.#log = session.log
    this.#media = deps.media ? new CallMedia(session, deps.media) : null
    this.#documentUrl = deps.router.routeUrl ?? null
  }

  /** Runs the call from the routing answer (M1) to its end. */
  async run(): Promise<void> {
    let source: string
    try {
      source = await this.#deps.router.route(this.#request)
    } catch (error) {
      return this.#fallback('routing failed', error)
    }
    if (!this.#load(source)) return this.#fallback('routing answered unusable CXML')
    await this.#execute()
  }

  #load(source: string): boolean {
    try {
      this.#document = parseCxml(source)
      this.#documents++
      return true
    } catch (error) {
      this.#log.warn({ err: error, url: this.#documentUrl }, 'CXML document rejected')
      return false
    }
  }

  get #live(): boolean {
    const state = this.#session.a.state
    return !this.#session.cleanedUp && (state === 'early' || state === 'confirmed')
  }

  async #execute(): Promise<void> {
    for (let index = 0; index < this.#document.length; index++) {
      if (!this.#live) return
      const verb = this.#document[index]
      let step: Step
      try {
        step = await this.#step(verb)
      } catch (error) {
        // A caller hanging up mid-verb makes rtpengine refuse the next command: not an error.
        if (!this.#live) return
        this.#log.error({ err: error, verb: verb.verb }, 'CXML verb failed')
        return this.#fallback(`${verb.verb} failed`, error)
      }
      if (step === 'stop') return
      if (step === 'replaced') index = -1
    }
    await this.#endOfDocument()
  }

  async #endOfDocument(): Promise<void> {
    const session = this.#session
    if (session.cleanedUp) return
    if (session.a.state === 'early') {
      session.a.reject(this.#lastFailure, this.#lastReason)
      await session.cleanup(
        this.#lastFailure === 486 ? 'busy' : this.#lastFailure === 480 ? 'noanswer' : 'failed',
      )
    } else if (session.a.state === 'confirmed') await this.#hangUpAnswered()
  }

  async #hangUpAnswered(): Promise<void> {
    await this.#session.a.dialog?.bye().catch(() => undefined)
    await this.#session.cleanup('completed')
  }

  async #step(verb: CxmlVerb): Promise<Step> {
    const session = this.#session
    switch (verb.verb) {
      case 'Pause': {
        const media = this.#media
        if (media) await media.wait(verb.lengthSec * 1000)
        else await new Promise<void>((resolve) => session.setTimer(verb.lengthSec * 1000, resolve))
        return 'next'
      }
      case 'Hangup':
        // A billable, normal end once answered; before answer there is nothing to bill.
        if (session.a.state === 'confirmed') await this.#hangUpAnswered()
        else {
          session.a.reject(603, 'Decline')
          await session.cleanup('rejected')
        }
        return 'stop'
      case 'Reject':
        if (session.a.state === 'confirmed') await this.#hangUpAnswered()
        else {
          session.a.reject(rejectStatus(verb.reason))
          await session.cleanup(verb.reason === 'busy' ? 'busy' : 'rejected')
        }
        return 'stop'
      case 'Unsupported':
        this.#log.warn({ verb: verb.name }, 'skipping unsupported CXML verb')
        return 'next'
      case 'Redirect':
        return this.#next(verb.url, verb.method, {})
      case 'Dial':
        return this.#dial(verb)
      case 'Say':
      case 'Play':
        this.#ignored(verb)
        if (!this.#media) {
          this.#log.warn({ verb: verb.verb }, 'no media services on this edge: verb skipped')
          return 'next'
        }
        if (!(await this.#answerFor(verb.answer))) return 'stop'
        await this.#prompt(verb)
        return 'next'
      case 'Gather':
        return this.#gather(verb)
      case 'Record':
        return this.#record(verb)
    }
  }

  #ignored(verb: { verb: string; ignored: string[] }): void {
    if (verb.ignored.length > 0)
      this.#log.info(
        { verb: verb.verb, attributes: verb.ignored },
        'ignoring unknown CXML attributes',
      )
  }

  /** `answer="false"` before answer plays as early media; otherwise the call is answered. */
  async #answerFor(answer: boolean): Promise<boolean> {
    const media = this.#media!
    return answer ? media.answer() : media.earlyMedia()
  }

  /** Plays one prompt (loops included); resolves early when `interrupt` settles. */
  async #prompt(
    prompt: Prompt,
    interrupt?: Promise<unknown>,
  ): Promise<'done' | 'interrupted' | 'ended'> {
    const media = this.#media!
    if (prompt.verb === 'Pause') {
      const outcome = await media.wait(prompt.lengthSec * 1000, interrupt)
      return outcome === 'elapsed' ? 'done' : outcome
    }
    const file = await this.#promptFile(prompt)
    if (file === null) return 'done'
    for (let round = 0; round < prompt.loop; round++) {
      const outcome = await media.playFile(file, interrupt)
      if (outcome !== 'done') return outcome
    }
    return 'done'
  }

  async #promptFile(prompt: SayVerb | PlayVerb): Promise<string | null> {
    const media = this.#media!
    if (prompt.verb === 'Say') {
      if (prompt.text === '') return null
      return media.say(prompt.text, prompt.voice, prompt.language)
    }
    try {
      return await media.prompt(prompt.url, this.#documentUrl)
    } catch (error) {
      // A broken prompt URL must not cost the caller the rest of the menu.
      this.#log.warn({ err: error, url: prompt.url }, 'Play prompt unavailable, skipped')
      return null
    }
  }

  async #dial(verb: DialVerb): Promise<Step> {
    if (verb.conference) return this.#conference(verb, verb.conference)
    const result = await this.#deps.dial(this.#session, verb)
    if (result === 'bridged' && verb.record && !this.#session.cleanedUp && this.#deps.media)
      recordBridgedCall(this.#session, this.#deps.media)
    if (result === 'bridged' || this.#session.cleanedUp) return 'stop'
    this.#lastFailure = result.status
    this.#lastReason = result.reason
    if (!verb.action) return 'next'
    const status =
      result.dialStatus ??
      (result.status === 486 || result.status >= 600
        ? 'busy'
        : result.status === 480 || result.status === 408
          ? 'no-answer'
          : 'failed')
    return this.#next(verb.action, verb.method, {
      DialCallStatus: status,
      CallStatus: status,
      DialCallDuration: 0,
    })
  }

  /** A room of the tenant; a full room plays the apology and reports `failed`. */
  async #conference(verb: DialVerb, room: NonNullable<DialVerb['conference']>): Promise<Step> {
    const media = this.#media
    const bridge = this.#deps.conferences
    this.#ignored({ verb: 'Conference', ignored: room.ignored })
    const outcome =
      media && bridge
        ? await bridge.join(this.#session, room, media, this.#documentUrl)
        : ({ result: 'failed', reason: 'no conference bridge on this edge' } as const)
    if (this.#session.cleanedUp) return 'stop'
    if (outcome.result !== 'left') {
      this.#log.warn({ room: room.name, outcome }, 'conference join refused')
      if (outcome.result === 'full' && media && (await media.answer()))
        await media.playFile(await media.say(ROOM_FULL, 'woman', 'en-US'))
      if (this.#session.cleanedUp) return 'stop'
      this.#lastFailure = outcome.result === 'full' ? 486 : 503
    }
    if (!verb.action) return 'next'
    const status = outcome.result === 'left' ? 'completed' : 'failed'
    return this.#next(verb.action, verb.method, {
      DialCallStatus: status,
      CallStatus: 'in-progress',
      DialCallDuration: outcome.result === 'left' ? outcome.durationSec : 0,
      ConferenceName: room.name,
    })
  }

  async #gather(verb: GatherVerb): Promise<Step> {
    this.#ignored(verb)
    const media = this.#media
    if (!media?.dtmfAvailable) {
      this.#log.warn('Gather without a DTMF sink: skipped')
      return 'next'
    }
    if (!(await media.answer())) return 'stop'
    let digits = ''
    let finished = false
    let finish!: () => void
    const done = new Promise<void>((resolve) => (finish = resolve))
    let wake!: () => void
    let woken = new Promise<void>((resolve) => (wake = resolve))
    let firstDigit!: () => void
    const heard = new Promise<void>((resolve) => (firstDigit = resolve))
    const unsubscribe = media.onDigit((event) => {
      if (finished) return
      firstDigit()
      if (verb.finishOnKey !== '' && event.digit === verb.finishOnKey) {
        finished = true
        finish()
        return
      }
      digits += event.digit
      if (verb.numDigits !== null && digits.length >= verb.numDigits) {
        finished = true
        finish()
        return
      }
      wake()
      woken = new Promise<void>((resolve) => (wake = resolve))
    })
    try {
      // Barge-in: the first digit stops the prompt (unless interruptible="false").
      for (const prompt of verb.prompts) {
        if (finished || digits !== '') break
        const outcome = await this.#prompt(prompt, verb.interruptible ? heard : undefined)
        if (outcome === 'ended') return 'stop'
        if (outcome === 'interrupted') break
      }
      // Timeouts start after the prompt: the first digit may take `maxTimeout`.
      while (!finished) {
        const limit = digits === '' ? verb.firstDigitTimeoutSec : verb.timeoutSec
        const outcome = await media.wait(limit * 1000, Promise.race([done, woken]))
        if (outcome === 'ended') return 'stop'
        if (outcome === 'elapsed') break
      }
    } finally {
      finished = true
      unsubscribe()
    }
    if (digits === '' && !verb.actionOnEmptyResult) return 'next'
    return this.#next(verb.action ?? this.#documentUrl ?? '', verb.method, { Digits: digits })
  }

  async #record(verb: RecordVerb): Promise<Step> {
    this.#ignored(verb)
    const media = this.#media
    if (!media?.recordingAvailable) {
      this.#log.warn('Record without a recording directory/store: skipped')
      return 'next'
    }
    if (!(await media.answer())) return 'stop'
    for (const prompt of verb.prompts) if ((await this.#prompt(prompt)) === 'ended') return 'stop'
    if (verb.playBeep && (await media.playFile(await media.beep())) === 'ended') return 'stop'
    const result = await media.record({
      maxLengthSec: verb.maxLengthSec,
      silenceSec: verb.timeoutSec,
      finishOnKey: verb.finishOnKey,
      trimSilence: verb.trimSilence,
    })
    this.#log.info(
      {
        durationSec: result.durationSec,
        finishedBy: result.finishedBy,
        stored: result.url !== null,
      },
      'recording finished',
    )
    // An empty recording means no action: the next verb runs (§6.4).
    if (result.url === null) return this.#session.cleanedUp ? 'stop' : 'next'
    const step = await this.#next(verb.action ?? this.#documentUrl ?? '', verb.method, {
      RecordingUrl: result.url,
      RecordingDuration: Math.round(result.durationSec),
      Digits: result.finishedBy === 'hangup' ? 'hangup' : (result.digit ?? ''),
    })
    return this.#session.cleanedUp ? 'stop' : step
  }

  /** M2: fetches the next document (relative to the current one) and makes it current. */
  async #next(
    url: string,
    method: 'GET' | 'POST',
    params: Record<string, string | number>,
  ): Promise<Step> {
    if (!this.#deps.router.followUp) {
      this.#log.warn({ url }, 'router cannot follow CXML URLs')
      await this.#fallback('no follow-up routing')
      return 'stop'
    }
    if (this.#documents >= (this.#deps.maxDocuments ?? 20)) {
      await this.#fallback('too many CXML documents')
      return 'stop'
    }
    let absolute = url
    try {
      if (this.#documentUrl !== null) absolute = new URL(url, this.#documentUrl).href
    } catch {
      await this.#fallback(`bad CXML URL ${url.slice(0, 200)}`)
      return 'stop'
    }
    let source: string
    try {
      source = await this.#deps.router.followUp(this.#request, { url: absolute, method, params })
    } catch (error) {
      // A caller who already hung up (Record) only needed the action delivered.
      if (!this.#live) return 'stop'
      await this.#fallback('CXML follow-up failed', error)
      return 'stop'
    }
    if (!this.#live) return 'stop'
    this.#documentUrl = absolute
    if (!this.#load(source)) {
      await this.#fallback('follow-up answered unusable CXML')
      return 'stop'
    }
    return 'replaced'
  }

  /** Apology (early media before answer, in-call after) and Reject congestion / hang-up. */
  async #fallback(reason: string, error?: unknown): Promise<void> {
    const session = this.#session
    this.#log.warn({ err: error, reason, cxml: error instanceof CxmlError }, 'CXML fallback')
    if (!this.#live) return
    const apology = this.#deps.apology ?? APOLOGY
    if (this.#media) {
      try {
        const playable =
          session.a.state === 'early'
            ? await this.#media.earlyMedia()
            : session.a.state === 'confirmed'
        if (playable) await this.#media.playFile(await this.#media.say(apology, 'woman', 'en-US'))
      } catch (failure) {
        this.#log.warn({ err: failure }, 'apology could not be played')
      }
    }
    if (session.cleanedUp) return
    if (session.a.state === 'confirmed') return this.#hangUpAnswered()
    // The app being unreachable (for the document, or for a Dial target's lookup) is
    // temporary: say when to try again. A broken document or verb is not, and gets no hint.
    const appUnavailable = error instanceof RoutingError || error instanceof CredentialStoreError
    session.a.reject(
      rejectStatus('congestion'),
      'Service Unavailable (routing)',
      appUnavailable
        ? [{ name: 'retry-after', value: String(APP_UNAVAILABLE_RETRY_AFTER_S) }]
        : undefined,
    )
    await session.cleanup('failed')
  }
}

/**
 * Periodic rtpengine pings. While rtpengine is unreachable, new calls are refused at once
 * (480 "no media") instead of each waiting for an offer timeout, and /health says so.
 * Every answered probe is reported to `onProbe`, so the edge can check that rtpengine still
 * holds its calls (a restarted rtpengine answers pings but has forgotten every session).
 */
import type { Logger } from 'pino'
import type { RtpEngine } from './rtpengine.ts'

export class MediaHealth {
  readonly #media: Pick<RtpEngine, 'ping'>
  readonly #logger: Logger
  readonly #intervalMs: number
  readonly #onProbe: ((healthy: boolean, recovered: boolean) => void) | null
  #healthy = true
  #timer: NodeJS.Timeout | null = null
  #sent = 0
  #applied = 0

  constructor(options: {
    media: Pick<RtpEngine, 'ping'>
    logger: Logger
    intervalMs?: number
    onProbe?(healthy: boolean, recovered: boolean): void
  }) {
    this.#media = options.media
    this.#logger = options.logger
    this.#intervalMs = options.intervalMs ?? 1000
    this.#onProbe = options.onProbe ?? null
  }

  get healthy(): boolean {
    return this.#healthy
  }

  /** Pings now (without delaying the caller) and then every interval. */
  start(): void {
    void this.check()
    this.#timer = setInterval(() => void this.check(), this.#intervalMs)
    this.#timer.unref()
  }

  /**
   * Probes overlap when the ping timeout exceeds the interval (a dead rtpengine): the next
   * probe is not held back, so a returning rtpengine is noticed one interval later, not one
   * timeout later. Only a newer probe's result may overwrite an older one's.
   */
  async check(): Promise<boolean> {
    const probe = ++this.#sent
    let healthy: boolean
    try {
      await this.#media.ping()
      healthy = true
    } catch {
      healthy = false
    }
    if (probe < this.#applied) return healthy
    this.#applied = probe
    const recovered = healthy && !this.#healthy
    if (healthy !== this.#healthy)
      this.#logger[healthy ? 'info' : 'error']({ healthy }, 'rtpengine health changed')
    this.#healthy = healthy
    this.#onProbe?.(healthy, recovered)
    return healthy
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }
}

/**
 * Periodic rtpengine pings. While rtpengine is unreachable, new calls are refused at once
 * (480 "no media") instead of each waiting for an offer timeout, and /health says so.
 */
import type { Logger } from 'pino'
import type { RtpEngine } from './rtpengine.ts'

export class MediaHealth {
  readonly #media: RtpEngine
  readonly #logger: Logger
  readonly #intervalMs: number
  #healthy = true
  #timer: NodeJS.Timeout | null = null

  constructor(options: { media: RtpEngine; logger: Logger; intervalMs?: number }) {
    this.#media = options.media
    this.#logger = options.logger
    this.#intervalMs = options.intervalMs ?? 5000
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

  async check(): Promise<boolean> {
    let healthy: boolean
    try {
      await this.#media.ping()
      healthy = true
    } catch {
      healthy = false
    }
    if (healthy !== this.#healthy)
      this.#logger[healthy ? 'info' : 'error']({ healthy }, 'rtpengine health changed')
    this.#healthy = healthy
    return healthy
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }
}

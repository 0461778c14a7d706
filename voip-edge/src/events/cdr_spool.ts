/**
 * Durable CDR delivery (contract §6.3, M5): every CDR is written to disk before any attempt
 * to send it, and removed only when the app answered 2xx. Failed sends back off (1 s doubling
 * to 10 min); a restarted edge resumes whatever is left in the folder, so an app outage or a
 * crash loses no CDR. After `maxAgeMs` a CDR is moved to `dead/` for an operator to replay.
 *
 * An outage leaves a backlog that failed at about the same moments: without care it would
 * all hit the restarted app at once, on top of live calls, and the app would shed the calls'
 * routing requests too. So retries are spread (±25 % jitter) and at most `maxInFlight`
 * deliveries run at a time; the rest wait their turn in order.
 */
import { randomUUID } from 'node:crypto'
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { signedHeaders } from './signer.ts'

export interface CdrSpoolOptions {
  dir: string
  url: string
  signingSecret: string
  logger: Logger
  timeoutMs?: number
  initialBackoffMs?: number
  maxBackoffMs?: number
  maxAgeMs?: number
  maxInFlight?: number
}

interface Envelope {
  requestId: string
  createdAt: number
  body: string
}

export class CdrSpool {
  readonly #options: Required<CdrSpoolOptions>
  readonly #retries = new Map<string, { attempts: number; timer: NodeJS.Timeout | null }>()
  readonly #inFlight = new Set<string>()
  /** Due for a send, waiting for one of the `maxInFlight` slots. */
  readonly #due = new Set<string>()
  #stopped = false
  delivered = 0

  constructor(options: CdrSpoolOptions) {
    this.#options = {
      timeoutMs: 8000,
      initialBackoffMs: 1000,
      maxBackoffMs: 600_000,
      maxAgeMs: 86_400_000,
      maxInFlight: 4,
      ...options,
    }
    mkdirSync(join(this.#options.dir, 'dead'), { recursive: true })
  }

  /** Files still waiting for an acknowledgement. */
  pending(): string[] {
    return readdirSync(this.#options.dir).filter((name) => name.endsWith('.json'))
  }

  /** Resumes delivery of everything left by a previous run. */
  start(): void {
    this.#stopped = false
    for (const name of this.pending()) this.#schedule(name, 0)
  }

  enqueue(cdr: unknown): string {
    const envelope: Envelope = {
      requestId: randomUUID(),
      createdAt: Date.now(),
      body: JSON.stringify(cdr),
    }
    const name = `${envelope.createdAt}-${envelope.requestId}.json`
    const temporary = join(this.#options.dir, `.${name}.tmp`)
    // Write-then-rename: a crash leaves either no file or a complete one, never half a CDR.
    writeFileSync(temporary, JSON.stringify(envelope))
    renameSync(temporary, join(this.#options.dir, name))
    if (!this.#stopped) this.#schedule(name, 0)
    return name
  }

  #schedule(name: string, delayMs: number): void {
    const state = this.#retries.get(name) ?? { attempts: 0, timer: null }
    if (state.timer) clearTimeout(state.timer)
    state.timer = setTimeout(() => this.#dispatch(name), delayMs)
    state.timer.unref()
    this.#retries.set(name, state)
  }

  #dispatch(name: string): void {
    if (this.#stopped || this.#inFlight.has(name)) return
    if (this.#inFlight.size >= this.#options.maxInFlight) {
      this.#due.add(name)
      return
    }
    void this.#send(name)
  }

  /** Fills free slots from the waiting line (#send takes its slot before its first await). */
  #pump(): void {
    while (!this.#stopped && this.#inFlight.size < this.#options.maxInFlight) {
      const [next] = this.#due
      if (next === undefined) return
      this.#due.delete(next)
      void this.#send(next)
    }
  }

  async #send(name: string): Promise<void> {
    if (this.#stopped || this.#inFlight.has(name)) return
    const path = join(this.#options.dir, name)
    let envelope: Envelope
    try {
      envelope = JSON.parse(readFileSync(path, 'utf8')) as Envelope
    } catch {
      this.#retries.delete(name)
      return
    }
    const state = this.#retries.get(name)!
    this.#inFlight.add(name)
    try {
      const url = new URL(this.#options.url)
      const response = await fetch(url, {
        method: 'POST',
        body: envelope.body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(
            this.#options.signingSecret,
            envelope.requestId,
            'POST',
            url,
            envelope.body,
          ),
        },
      })
      await response.arrayBuffer()
      if (response.status >= 200 && response.status < 300) {
        unlinkSync(path)
        this.#retries.delete(name)
        this.delivered++
        return
      }
      throw new Error(`HTTP ${response.status}`)
    } catch (error) {
      state.attempts++
      if (Date.now() - envelope.createdAt > this.#options.maxAgeMs) {
        renameSync(path, join(this.#options.dir, 'dead', name))
        this.#retries.delete(name)
        this.#options.logger.error({ cdr: name }, 'CDR undeliverable for too long: moved to dead/')
        return
      }
      const delay = Math.round(
        Math.min(
          this.#options.initialBackoffMs * 2 ** (state.attempts - 1),
          this.#options.maxBackoffMs,
        ) *
          (0.75 + Math.random() * 0.5),
      )
      this.#options.logger.warn(
        { cdr: name, attempt: state.attempts, retryInMs: delay, err: error },
        'CDR delivery failed',
      )
      if (!this.#stopped) this.#schedule(name, delay)
    } finally {
      this.#inFlight.delete(name)
      this.#pump()
    }
  }

  stop(): void {
    this.#stopped = true
    this.#due.clear()
    for (const state of this.#retries.values()) if (state.timer) clearTimeout(state.timer)
    this.#retries.clear()
  }
}

/**
 * M4 session updates (contract §3.2, §6.3): fire-and-forget, but ordered per session and
 * retried briefly (0.5/1/2/4 s) on network errors, 5xx, 408 and 429; other 4xx are dropped.
 * They go stale fast, so nothing is spooled to disk (CDRs are the durable record).
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { signedHeaders } from './signer.ts'

export type SessionStatus =
  'processing' | 'ringing' | 'connected' | 'busy' | 'noanswer' | 'cancel' | 'error'

export interface SessionFacts {
  callId: string
  organizationId: string
  domain: string
  from: string
  to: string
  startedAt: number
  answeredAt: number | null
  endedAt: number | null
  edgeAddress: string
}

export function buildSessionUpdate(
  facts: SessionFacts,
  status: SessionStatus,
  now: number,
): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    id: null,
    token: facts.callId,
    eventId: randomUUID(),
    domainId: null,
    domain: facts.domain,
    subscriberId: null,
    callerId: facts.from,
    destination: facts.to,
    direction: 'internal',
    status,
    action: 'updated',
    reason: null,
    lastError: null,
    createdAt: iso(facts.startedAt),
    modifiedAt: iso(now),
    callStartTime: facts.startedAt,
    callAnswerTime: facts.answeredAt,
    callEndTime: facts.endedAt,
    startTime: iso(facts.startedAt),
    answerTime: iso(facts.answeredAt),
    endTime: iso(facts.endedAt),
    timeLimit: null,
    vappServer: facts.edgeAddress,
    callIds: [facts.callId],
    profile: {},
    owner: { domain: { uuid: facts.organizationId } },
  }
}

export class SessionUpdatePublisher {
  readonly #url: URL
  readonly #secret: string
  readonly #logger: Logger
  readonly #backoffMs: number[]
  readonly #queues = new Map<string, Promise<void>>()

  constructor(options: {
    url: string
    signingSecret: string
    logger: Logger
    backoffMs?: number[]
  }) {
    this.#url = new URL(options.url)
    this.#secret = options.signingSecret
    this.#logger = options.logger
    this.#backoffMs = options.backoffMs ?? [500, 1000, 2000, 4000]
  }

  /** Queues one update behind earlier ones of the same session. */
  publish(token: string, update: Record<string, unknown>): Promise<void> {
    const previous = this.#queues.get(token) ?? Promise.resolve()
    const next = previous.then(() => this.#deliver(update))
    this.#queues.set(token, next)
    void next.finally(() => {
      if (this.#queues.get(token) === next) this.#queues.delete(token)
    })
    return next
  }

  /** Resolves when every queued update was delivered or given up. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()])
  }

  async #deliver(update: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify(update)
    const requestId = String(update.eventId)
    for (let attempt = 0; attempt <= this.#backoffMs.length; attempt++) {
      let retryable = true
      try {
        const response = await fetch(this.#url, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(5000),
          headers: {
            'content-type': 'application/json',
            ...signedHeaders(this.#secret, requestId, 'POST', this.#url, body),
          },
        })
        await response.arrayBuffer()
        if (response.status < 300) return
        retryable = response.status >= 500 || response.status === 408 || response.status === 429
      } catch {
        retryable = true
      }
      if (!retryable || attempt === this.#backoffMs.length) break
      await new Promise((resolve) => setTimeout(resolve, this.#backoffMs[attempt]).unref())
    }
    this.#logger.warn({ token: update.token, status: update.status }, 'session update dropped')
  }
}

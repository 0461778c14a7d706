/**
 * `TrunkStore` backed by the app: which tenant's IP-authenticated trunk an INVITE's source
 * address belongs to (`GET /api/edge/trunks/by-source/<ip>` → {organizationId, trunkId,
 * realm} | 404, signed). Every INVITE asks, so answers are cached (30 s known, 10 s not a
 * trunk). An unreachable app is treated as "no trunk": the call then needs digest
 * credentials like any phone's, which a carrier does not have, so it is refused, never
 * routed into a guessed tenant. Once expired, the last real answer (within 10 min) keeps
 * answering while the app is asked again in the background (at most every 5 s), so a killed
 * or hung app costs no INVITE a lookup timeout, and a known trunk keeps working meanwhile.
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { signedHeaders } from '../events/signer.ts'
import { StaleWhileRevalidate } from '../support/stale_while_revalidate.ts'
import type { Trunk, TrunkStore } from '../registrar/trunk_store.ts'

export class HttpTrunkStore implements TrunkStore {
  readonly #baseUrl: string
  readonly #secret: string
  readonly #logger: Logger
  readonly #timeoutMs: number
  // The last real answer stands in, a trunk or none: both are the app's word.
  readonly #cache: StaleWhileRevalidate<Trunk | null>

  constructor(options: {
    baseUrl: string
    signingSecret: string
    logger: Logger
    timeoutMs?: number
  }) {
    this.#baseUrl = options.baseUrl
    this.#secret = options.signingSecret
    this.#logger = options.logger
    this.#timeoutMs = options.timeoutMs ?? 3000
    this.#cache = new StaleWhileRevalidate<Trunk | null>({
      onBackgroundError: (ip, error) =>
        this.#logger.warn({ err: error, ip }, 'trunk lookup failed'),
    })
  }

  /** Drops cached source-address answers (control `POST /v1/reload`). */
  clear(): void {
    this.#cache.clear()
  }

  async bySourceIp(address: string): Promise<Trunk | null> {
    const ip = address.replace(/^::ffff:/, '')
    try {
      return await this.#cache.get(ip, () => this.#fetch(ip))
    } catch (error) {
      this.#logger.warn({ err: error, ip }, 'trunk lookup failed')
      // Nothing recent to stand in: "no trunk" for a few seconds, then ask again.
      this.#cache.hold(ip, null, this.#cache.retryMs)
      return null
    }
  }

  async #fetch(ip: string): Promise<{ value: Trunk | null; ttlMs: number }> {
    const url = new URL(`/api/edge/trunks/by-source/${encodeURIComponent(ip)}`, this.#baseUrl)
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.#timeoutMs),
      headers: signedHeaders(this.#secret, randomUUID(), 'GET', url, ''),
    })
    if (response.status !== 200) {
      await response.arrayBuffer()
      if (response.status !== 404) throw new Error(`HTTP ${response.status}`)
      return { value: null, ttlMs: 10_000 }
    }
    const body = (await response.json()) as Record<string, unknown>
    const trunk =
      typeof body.organizationId === 'string' &&
      typeof body.trunkId === 'string' &&
      typeof body.realm === 'string'
        ? { organizationId: body.organizationId, trunkId: body.trunkId, realm: body.realm }
        : null
    return { value: trunk, ttlMs: trunk ? 30_000 : 10_000 }
  }
}

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
import type { Trunk, TrunkStore } from '../registrar/trunk_store.ts'

const MAX_STALE_MS = 600_000
const STALE_RETRY_MS = 5_000

export class HttpTrunkStore implements TrunkStore {
  readonly #baseUrl: string
  readonly #secret: string
  readonly #logger: Logger
  readonly #timeoutMs: number
  readonly #cache = new Map<string, { trunk: Trunk | null; expiresAt: number; fetchedAt: number }>()

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
  }

  /** Drops cached source-address answers (control `POST /v1/reload`). */
  clear(): void {
    this.#cache.clear()
  }

  async bySourceIp(address: string): Promise<Trunk | null> {
    const ip = address.replace(/^::ffff:/, '')
    const cached = this.#cache.get(ip)
    const now = Date.now()
    if (cached && cached.expiresAt > now) return cached.trunk
    // The last real answer (trunk or none), expired but recent, answers now; the app is
    // asked in the background, again after STALE_RETRY_MS if that fails.
    if (cached && now - cached.fetchedAt <= MAX_STALE_MS) {
      cached.expiresAt = Math.min(now + STALE_RETRY_MS, cached.fetchedAt + MAX_STALE_MS)
      void this.#fetch(ip)
      return cached.trunk
    }
    return this.#fetch(ip)
  }

  async #fetch(ip: string): Promise<Trunk | null> {
    const url = new URL(`/api/edge/trunks/by-source/${encodeURIComponent(ip)}`, this.#baseUrl)
    let trunk: Trunk | null = null
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: signedHeaders(this.#secret, randomUUID(), 'GET', url, ''),
      })
      if (response.status === 200) {
        const body = (await response.json()) as Record<string, unknown>
        if (
          typeof body.organizationId === 'string' &&
          typeof body.trunkId === 'string' &&
          typeof body.realm === 'string'
        )
          trunk = { organizationId: body.organizationId, trunkId: body.trunkId, realm: body.realm }
      } else {
        await response.arrayBuffer()
        if (response.status !== 404) throw new Error(`HTTP ${response.status}`)
      }
    } catch (error) {
      this.#logger.warn({ err: error, ip }, 'trunk lookup failed')
      // Nothing recent to stand in: "no trunk" for a few seconds, then ask again.
      if (!this.#cache.has(ip) || Date.now() - this.#cache.get(ip)!.fetchedAt > MAX_STALE_MS)
        this.#remember(ip, { trunk: null, expiresAt: Date.now() + STALE_RETRY_MS, fetchedAt: 0 })
      return this.#cache.get(ip)?.trunk ?? null
    }
    const fetchedAt = Date.now()
    this.#remember(ip, { trunk, expiresAt: fetchedAt + (trunk ? 30_000 : 10_000), fetchedAt })
    return trunk
  }

  #remember(ip: string, entry: { trunk: Trunk | null; expiresAt: number; fetchedAt: number }) {
    if (!this.#cache.has(ip) && this.#cache.size >= 10_000)
      this.#cache.delete(this.#cache.keys().next().value!)
    this.#cache.set(ip, entry)
  }
}

/**
 * `CredentialStore` backed by the app over signed HTTP (the same X-Edge-* signing as every
 * edge → app request). Proposed app endpoints:
 *
 *   GET /api/edge/sip-realms/<realm>                  → 200 {"organizationId"} | 404
 *   GET /api/edge/sip-realms/<realm>/users/<username> → 200 {"organizationId","extensionId","password"} | 404
 *
 * Answers are cached briefly (positive 30 s, negative 5 s) so a REGISTER flood does not turn
 * into an app flood; a failing app is an error (→ 503 to the phone), never "unknown user".
 *
 * Once expired, a known realm or user keeps answering from its last answer for up to
 * `maxStaleMs` (10 min) while the app is asked again in the background (at most every
 * `staleRetryMs`, 5 s): while the app is killed, restarting or hung, phones stay registered,
 * callers reach the routing step (whose own fallback applies), and no call waits on a lookup
 * timeout. A changed password or a deleted user therefore takes effect one lookup later.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../events/signer.ts'
import type { CredentialStore, RealmInfo, SipCredential } from './credential_store.ts'

export class CredentialStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CredentialStoreError'
  }
}

interface Cached<T> {
  value: T | null
  expiresAt: number
  fetchedAt: number
}

export class HttpCredentialStore implements CredentialStore {
  readonly #baseUrl: string
  readonly #secret: string
  readonly #timeoutMs: number
  readonly #positiveTtlMs: number
  readonly #negativeTtlMs: number
  readonly #maxStaleMs: number
  readonly #staleRetryMs: number
  readonly #cache = new Map<string, Cached<unknown>>()

  constructor(options: {
    baseUrl: string
    signingSecret: string
    timeoutMs?: number
    positiveTtlMs?: number
    negativeTtlMs?: number
    maxStaleMs?: number
    staleRetryMs?: number
  }) {
    this.#baseUrl = options.baseUrl
    this.#secret = options.signingSecret
    this.#timeoutMs = options.timeoutMs ?? 3000
    this.#positiveTtlMs = options.positiveTtlMs ?? 30_000
    this.#negativeTtlMs = options.negativeTtlMs ?? 5_000
    this.#maxStaleMs = options.maxStaleMs ?? 600_000
    this.#staleRetryMs = options.staleRetryMs ?? 5_000
  }

  resolveRealm(realm: string): Promise<RealmInfo | null> {
    return this.#get<RealmInfo>(
      `/api/edge/sip-realms/${encodeURIComponent(realm.toLowerCase())}`,
      (body) =>
        typeof body.organizationId === 'string' ? { organizationId: body.organizationId } : null,
    )
  }

  /** Control API reload: forget cached answers so changed passwords and realms apply now. */
  clear(): void {
    this.#cache.clear()
  }

  lookup(realm: string, username: string): Promise<SipCredential | null> {
    return this.#get<SipCredential>(
      `/api/edge/sip-realms/${encodeURIComponent(realm.toLowerCase())}/users/${encodeURIComponent(username)}`,
      (body) =>
        typeof body.organizationId === 'string' &&
        typeof body.extensionId === 'string' &&
        typeof body.password === 'string'
          ? {
              organizationId: body.organizationId,
              extensionId: body.extensionId,
              password: body.password,
            }
          : null,
    )
  }

  async #get<T>(
    path: string,
    validate: (body: Record<string, unknown>) => T | null,
  ): Promise<T | null> {
    const cached = this.#cache.get(path)
    const now = Date.now()
    if (cached && cached.expiresAt > now) return cached.value as T | null
    // A known answer, expired but recent: it answers now and the app is asked in the
    // background (again after `staleRetryMs` if that fails), so no call waits on the app.
    if (cached && cached.value !== null && now - cached.fetchedAt <= this.#maxStaleMs) {
      cached.expiresAt = Math.min(now + this.#staleRetryMs, cached.fetchedAt + this.#maxStaleMs)
      this.#fetch(path, validate).catch(() => undefined)
      return cached.value as T
    }
    return this.#fetch(path, validate)
  }

  async #fetch<T>(
    path: string,
    validate: (body: Record<string, unknown>) => T | null,
  ): Promise<T | null> {
    const url = new URL(path, this.#baseUrl)
    let response: Response
    try {
      response = await fetch(url, {
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: signedHeaders(this.#secret, randomUUID(), 'GET', url, ''),
      })
    } catch (error) {
      throw new CredentialStoreError(`credential lookup failed: ${(error as Error).message}`, {
        cause: error,
      })
    }
    if (response.status === 404) {
      await response.arrayBuffer()
      this.#remember(path, null, this.#negativeTtlMs)
      return null
    }
    if (response.status !== 200) {
      await response.arrayBuffer()
      throw new CredentialStoreError(`credential lookup answered HTTP ${response.status}`)
    }
    const value = validate((await response.json()) as Record<string, unknown>)
    if (value === null)
      throw new CredentialStoreError('credential lookup answered an unexpected body')
    this.#remember(path, value, this.#positiveTtlMs)
    return value
  }

  #remember(path: string, value: unknown, ttlMs: number): void {
    // Bounded: a scan over random usernames must not grow the cache without limit.
    if (this.#cache.size >= 10_000) this.#cache.delete(this.#cache.keys().next().value!)
    this.#cache.set(path, { value, expiresAt: Date.now() + ttlMs, fetchedAt: Date.now() })
  }
}

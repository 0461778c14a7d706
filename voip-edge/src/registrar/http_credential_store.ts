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
import { StaleWhileRevalidate } from '../support/stale_while_revalidate.ts'
import type { CredentialStore, RealmInfo, SipCredential } from './credential_store.ts'

export class CredentialStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CredentialStoreError'
  }
}

export class HttpCredentialStore implements CredentialStore {
  readonly #baseUrl: string
  readonly #secret: string
  readonly #timeoutMs: number
  readonly #positiveTtlMs: number
  readonly #negativeTtlMs: number
  // Only a known realm or user stands in: "unknown" is asked again once it expires.
  readonly #cache: StaleWhileRevalidate<unknown>

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
    this.#cache = new StaleWhileRevalidate<unknown>({
      maxStaleMs: options.maxStaleMs,
      retryMs: options.staleRetryMs,
      servesStale: (value) => value !== null,
    })
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
    return (await this.#cache.get(path, () => this.#fetch(path, validate))) as T | null
  }

  async #fetch<T>(
    path: string,
    validate: (body: Record<string, unknown>) => T | null,
  ): Promise<{ value: T | null; ttlMs: number }> {
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
      return { value: null, ttlMs: this.#negativeTtlMs }
    }
    if (response.status !== 200) {
      await response.arrayBuffer()
      throw new CredentialStoreError(`credential lookup answered HTTP ${response.status}`)
    }
    const value = validate((await response.json()) as Record<string, unknown>)
    if (value === null)
      throw new CredentialStoreError('credential lookup answered an unexpected body')
    return { value, ttlMs: this.#positiveTtlMs }
  }
}

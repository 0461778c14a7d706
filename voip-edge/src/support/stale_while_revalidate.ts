/**
 * A bounded cache of the app's answers for the lookups on the call path (SIP credentials,
 * trunks by source address). A fresh answer is served as is. Once expired, a recent answer
 * (within `maxStaleMs`) still answers at once while the app is asked again in the
 * background, at most every `retryMs`: while the app is killed, restarting or hung, no
 * REGISTER or INVITE waits on a lookup timeout and what worked a moment ago keeps working.
 * Older than that, or never known, the caller waits for the app.
 */
export interface StaleWhileRevalidateOptions<V> {
  /** How long an expired answer may still stand in (default 10 min). */
  maxStaleMs?: number
  /** How often a standing-in answer triggers another background lookup (default 5 s). */
  retryMs?: number
  /** Bound on the entries kept: a scan over random keys must not grow memory (default 10,000). */
  maxEntries?: number
  /** Whether an expired answer may stand in at all (say, not a "no such user"). */
  servesStale?: (value: V) => boolean
  /** A background lookup failed (the stale answer keeps standing in). */
  onBackgroundError?: (key: string, error: unknown) => void
  /** Time source, injected by tests. */
  now?: () => number
}

interface Entry<V> {
  value: V
  expiresAt: number
  fetchedAt: number
  /** False for a placeholder (hold()), which must never stand in. */
  answered: boolean
}

export type Lookup<V> = () => Promise<{ value: V; ttlMs: number }>

export class StaleWhileRevalidate<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #maxStaleMs: number
  readonly #retryMs: number
  readonly #maxEntries: number
  readonly #servesStale: (value: V) => boolean
  readonly #onBackgroundError: (key: string, error: unknown) => void
  readonly #now: () => number

  constructor(options: StaleWhileRevalidateOptions<V> = {}) {
    this.#maxStaleMs = options.maxStaleMs ?? 600_000
    this.#retryMs = options.retryMs ?? 5_000
    this.#maxEntries = options.maxEntries ?? 10_000
    this.#servesStale = options.servesStale ?? (() => true)
    this.#onBackgroundError = options.onBackgroundError ?? (() => undefined)
    this.#now = options.now ?? (() => Date.now())
  }

  get retryMs(): number {
    return this.#retryMs
  }

  /** The cached answer, a stale one while `lookup` runs in the background, or `lookup`'s. */
  async get(key: string, lookup: Lookup<V>): Promise<V> {
    const entry = this.#entries.get(key)
    const now = this.#now()
    if (entry && entry.expiresAt > now) return entry.value
    if (
      entry &&
      entry.answered &&
      now - entry.fetchedAt <= this.#maxStaleMs &&
      this.#servesStale(entry.value)
    ) {
      // Pushed forward so concurrent callers do not each start a lookup.
      entry.expiresAt = Math.min(now + this.#retryMs, entry.fetchedAt + this.#maxStaleMs)
      this.#load(key, lookup).catch((error) => this.#onBackgroundError(key, error))
      return entry.value
    }
    return this.#load(key, lookup)
  }

  /**
   * Keeps `value` for `ttlMs` without making it an answer of the app's: it is never served
   * stale (a "nothing known" placeholder after a failed lookup, asked again once it expires).
   */
  hold(key: string, value: V, ttlMs: number): void {
    const now = this.#now()
    this.#set(key, { value, expiresAt: now + ttlMs, fetchedAt: now, answered: false })
  }

  clear(): void {
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }

  async #load(key: string, lookup: Lookup<V>): Promise<V> {
    const { value, ttlMs } = await lookup()
    const now = this.#now()
    this.#set(key, { value, expiresAt: now + ttlMs, fetchedAt: now, answered: true })
    return value
  }

  #set(key: string, entry: Entry<V>): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.#maxEntries)
      this.#entries.delete(this.#entries.keys().next().value!)
    this.#entries.set(key, entry)
  }
}

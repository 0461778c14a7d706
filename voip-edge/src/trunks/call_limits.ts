/**
 * Toll-fraud brakes per tenant: at most N calls up at once and M new calls per second, and
 * per trunk at most `maxChannels` calls. Counted in this edge process (one edge per
 * deployment today); a call over a cap is refused before any routing or INVITE happens.
 */

export interface TenantLimit {
  /** Concurrent calls (0 = unlimited). */
  maxCalls: number
  /** New calls per second (0 = unlimited). */
  maxCps: number
}

export class TenantCallLimiter {
  readonly #defaults: TenantLimit
  readonly #overrides: Map<string, TenantLimit>
  readonly #active = new Map<string, Set<string>>()
  readonly #recent = new Map<string, number[]>()
  readonly #now: () => number

  constructor(options: {
    defaults: TenantLimit
    overrides?: Record<string, Partial<TenantLimit>>
    now?: () => number
  }) {
    this.#defaults = options.defaults
    this.#overrides = new Map(
      Object.entries(options.overrides ?? {}).map(([id, limit]) => [
        id,
        { ...options.defaults, ...limit },
      ]),
    )
    this.#now = options.now ?? Date.now
  }

  limitFor(organizationId: string): TenantLimit {
    return this.#overrides.get(organizationId) ?? this.#defaults
  }

  /** Counts the call in, or says why it may not start (the SIP reason phrase's detail). */
  admit(organizationId: string, callId: string): string | null {
    const limit = this.limitFor(organizationId)
    const active = this.#active.get(organizationId) ?? new Set<string>()
    if (active.has(callId)) return null
    if (limit.maxCalls > 0 && active.size >= limit.maxCalls)
      return `tenant concurrent call limit ${limit.maxCalls}`
    const now = this.#now()
    const recent = (this.#recent.get(organizationId) ?? []).filter((at) => now - at < 1000)
    if (limit.maxCps > 0 && recent.length >= limit.maxCps) {
      this.#recent.set(organizationId, recent)
      return `tenant call rate limit ${limit.maxCps}/s`
    }
    recent.push(now)
    this.#recent.set(organizationId, recent)
    active.add(callId)
    this.#active.set(organizationId, active)
    return null
  }

  release(organizationId: string, callId: string): void {
    const active = this.#active.get(organizationId)
    if (!active) return
    active.delete(callId)
    if (active.size === 0) this.#active.delete(organizationId)
  }

  activeCalls(organizationId: string): number {
    return this.#active.get(organizationId)?.size ?? 0
  }
}

/** Calls in progress per trunk, against each trunk's `maxChannels`. */
export class TrunkChannels {
  readonly #inUse = new Map<string, number>()

  acquire(trunkId: string, maxChannels: number | null): boolean {
    const used = this.#inUse.get(trunkId) ?? 0
    if (maxChannels !== null && maxChannels > 0 && used >= maxChannels) return false
    this.#inUse.set(trunkId, used + 1)
    return true
  }

  release(trunkId: string): void {
    const used = (this.#inUse.get(trunkId) ?? 0) - 1
    if (used > 0) this.#inUse.set(trunkId, used)
    else this.#inUse.delete(trunkId)
  }

  inUse(trunkId: string): number {
    return this.#inUse.get(trunkId) ?? 0
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#inUse)
  }
}

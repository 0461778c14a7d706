/**
 * Registrations in Redis, one hash per (tenant, AOR), one field per contact. Redis (not
 * process memory) so that a restarted or different edge instance still reaches the phone.
 */
import type { Redis } from 'ioredis'
import type { SignalingPeer } from '../signaling/signaling_port.ts'

export interface Binding {
  /** Contact URI exactly as the phone sent it (the request target for calls). */
  contact: string
  expiresAt: number
  callId: string
  cseq: number
  q: number | null
  /** Where the REGISTER really came from: reach the phone here (NAT, TCP flow). */
  source: SignalingPeer
  /** Instance that holds the connection, for connection-bound flows. */
  edgeInstance: string
  extensionId: string
}

export class BindingStore {
  readonly #redis: Redis
  readonly #prefix: string

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis
    this.#prefix = `${prefix}reg:`
  }

  #key(organizationId: string, aor: string): string {
    return `${this.#prefix}${organizationId}:${aor}`
  }

  /** Current, unexpired bindings; expired ones are removed on the way. */
  async list(organizationId: string, aor: string, now: number): Promise<Binding[]> {
    const key = this.#key(organizationId, aor)
    const raw = await this.#redis.hgetall(key)
    const live: Binding[] = []
    const expired: string[] = []
    for (const [field, value] of Object.entries(raw)) {
      const binding = JSON.parse(value) as Binding
      if (binding.expiresAt > now) live.push(binding)
      else expired.push(field)
    }
    if (expired.length > 0) await this.#redis.hdel(key, ...expired)
    return live.sort((a, b) => (b.q ?? 1) - (a.q ?? 1))
  }

  /**
   * Applies additions/refreshes and removals to the bindings read just before (`current`)
   * in one MULTI, including the key's new TTL, and returns the resulting set. One round trip:
   * REGISTER latency is dominated by Redis round trips.
   */
  async apply(
    organizationId: string,
    aor: string,
    current: Binding[],
    upserts: Binding[],
    removals: string[],
    now: number,
  ): Promise<Binding[]> {
    const key = this.#key(organizationId, aor)
    const byContact = new Map(current.map((binding) => [binding.contact, binding]))
    for (const contact of removals) byContact.delete(contact)
    for (const binding of upserts) byContact.set(binding.contact, binding)
    const remaining = [...byContact.values()].filter((binding) => binding.expiresAt > now)
    const multi = this.#redis.multi()
    if (removals.length > 0) multi.hdel(key, ...removals)
    for (const binding of upserts) multi.hset(key, binding.contact, JSON.stringify(binding))
    if (remaining.length === 0) multi.del(key)
    else multi.pexpire(key, Math.max(...remaining.map((binding) => binding.expiresAt)) - now)
    await multi.exec()
    return remaining.sort((a, b) => (b.q ?? 1) - (a.q ?? 1))
  }

  async removeAll(organizationId: string, aor: string): Promise<void> {
    await this.#redis.del(this.#key(organizationId, aor))
  }
}

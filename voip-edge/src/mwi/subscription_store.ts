/**
 * MWI subscriptions and last known counts in Redis, one hash per (tenant, AOR) like the
 * registrations: a restarted or different edge instance still refreshes and notifies them.
 */
import type { Redis } from 'ioredis'
import type { SignalingPeer } from '../signaling/signaling_port.ts'
import { readCounts, type MailboxCounts } from './message_summary.ts'

export interface MwiSubscription {
  callId: string
  /** The subscriber's From tag and our To tag: the subscription dialog. */
  fromTag: string
  toTag: string
  /** The subscribed resource (SUBSCRIBE's To without tag): our From in NOTIFYs. */
  local: string
  /** The subscriber's From, tag included: our To in NOTIFYs. */
  remote: string
  /** Contact URI of the subscriber (NOTIFY Request-URI). */
  target: string
  /** Where the SUBSCRIBE came from: NOTIFYs go there (NAT). */
  peer: SignalingPeer
  expiresAt: number
}

export class MwiSubscriptionStore {
  readonly #redis: Redis
  readonly #prefix: string

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis
    this.#prefix = `${prefix}mwi:`
  }

  #subs(organizationId: string, aor: string): string {
    return `${this.#prefix}subs:${organizationId}:${aor}`
  }

  static field(callId: string, fromTag: string): string {
    return `${callId};${fromTag}`
  }

  async list(organizationId: string, aor: string, now: number): Promise<MwiSubscription[]> {
    const key = this.#subs(organizationId, aor)
    const raw = await this.#redis.hgetall(key)
    const live: MwiSubscription[] = []
    const expired: string[] = []
    for (const [field, value] of Object.entries(raw)) {
      const subscription = JSON.parse(value) as MwiSubscription
      if (subscription.expiresAt > now) live.push(subscription)
      else expired.push(field)
    }
    if (expired.length > 0) await this.#redis.hdel(key, ...expired)
    return live
  }

  async find(
    organizationId: string,
    aor: string,
    callId: string,
    fromTag: string,
    now: number,
  ): Promise<MwiSubscription | null> {
    const raw = await this.#redis.hget(
      this.#subs(organizationId, aor),
      MwiSubscriptionStore.field(callId, fromTag),
    )
    const found = raw ? (JSON.parse(raw) as MwiSubscription) : null
    return found && found.expiresAt > now ? found : null
  }

  async save(organizationId: string, aor: string, subscription: MwiSubscription, now: number) {
    const key = this.#subs(organizationId, aor)
    await this.#redis
      .multi()
      .hset(
        key,
        MwiSubscriptionStore.field(subscription.callId, subscription.fromTag),
        JSON.stringify(subscription),
      )
      // The hash lives as long as its longest subscription could (max expiry is an hour).
      .pexpire(key, Math.max(subscription.expiresAt - now, 1000) + 3_600_000)
      .exec()
  }

  async remove(organizationId: string, aor: string, callId: string, fromTag: string) {
    await this.#redis.hdel(
      this.#subs(organizationId, aor),
      MwiSubscriptionStore.field(callId, fromTag),
    )
  }

  /** Monotonic CSeq of our NOTIFYs in one subscription dialog, shared by all instances. */
  async nextCseq(callId: string, fromTag: string): Promise<number> {
    const key = `${this.#prefix}cseq:${callId};${fromTag}`
    const [[, value]] = (await this.#redis.multi().incr(key).expire(key, 7200).exec()) as [
      [Error | null, number],
      unknown,
    ]
    return value
  }

  async setCounts(organizationId: string, aor: string, counts: MailboxCounts): Promise<void> {
    // Kept a day: after that a SUBSCRIBE asks the app again.
    await this.#redis.set(
      `${this.#prefix}counts:${organizationId}:${aor}`,
      JSON.stringify(counts),
      'EX',
      86_400,
    )
  }

  async counts(organizationId: string, aor: string): Promise<MailboxCounts | null> {
    const raw = await this.#redis.get(`${this.#prefix}counts:${organizationId}:${aor}`)
    return raw ? readCounts(JSON.parse(raw)) : null
  }
}

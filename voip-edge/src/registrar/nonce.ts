/**
 * Stateless, HMAC-signed digest nonces. A nonce carries its issue time and is bound to the
 * realm it was issued for, so a nonce from tenant A is worthless at tenant B and every
 * instance of the edge can verify any other instance's nonces with the shared secret.
 * Replay of a (nonce, nc) pair is caught separately by `NonceCounter` in Redis.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Clock } from '../transaction/clock.ts'
import { RedisScript } from './redis_script.ts'
import { fillRandom } from '../sip/random.ts'

export type NonceVerdict = 'valid' | 'stale' | 'invalid'

const TIME_BYTES = 6
const RANDOM_BYTES = 9
const MAC_BYTES = 16

export class NonceManager {
  readonly #key: KeyObject
  readonly #clock: Clock
  readonly lifetimeMs: number

  constructor(secret: string, clock: Clock, lifetimeMs = 300_000) {
    // A derived key keeps nonce MACs independent from the webhook signatures using the secret.
    // A KeyObject made once: createHmac with a raw Buffer re-validates the key on every call.
    this.#key = createSecretKey(
      createHmac('sha256', secret).update('voip-edge digest nonce v1').digest(),
    )
    this.#clock = clock
    this.lifetimeMs = lifetimeMs
  }

  issue(realm: string): string {
    const head = Buffer.alloc(TIME_BYTES + RANDOM_BYTES)
    head.writeUIntBE(this.#clock.now(), 0, TIME_BYTES)
    fillRandom(head, TIME_BYTES, RANDOM_BYTES)
    return Buffer.concat([head, this.#mac(realm, head)]).toString('base64url')
  }

  verify(nonce: string, realm: string): NonceVerdict {
    if (!/^[A-Za-z0-9_-]{42}$/.test(nonce)) return 'invalid'
    const raw = Buffer.from(nonce, 'base64url')
    if (raw.length !== TIME_BYTES + RANDOM_BYTES + MAC_BYTES) return 'invalid'
    const head = raw.subarray(0, TIME_BYTES + RANDOM_BYTES)
    if (!timingSafeEqual(this.#mac(realm, head), raw.subarray(TIME_BYTES + RANDOM_BYTES)))
      return 'invalid'
    const issuedAt = head.readUIntBE(0, TIME_BYTES)
    const age = this.#clock.now() - issuedAt
    if (age < -5_000) return 'invalid'
    return age > this.lifetimeMs ? 'stale' : 'valid'
  }

  #mac(realm: string, head: Buffer): Buffer {
    return createHmac('sha256', this.#key)
      .update(realm.toLowerCase())
      .update('\0')
      .update(head)
      .digest()
      .subarray(0, MAC_BYTES)
  }
}

/**
 * Records the nonce-count and, only when it grew, clears the given keys (the brute-force
 * failure counters of a successful login): one round trip, and a replayed request can never
 * reset the counters an attacker is filling.
 */
const ACCEPT = new RedisScript(`
local last = redis.call('GET', KEYS[1])
if last and tonumber(last) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if #KEYS > 1 then redis.call('DEL', unpack(KEYS, 2)) end
return 1`)

/** Highest nonce-count seen per nonce; a count that does not grow is a replay. */
export class NonceCounter {
  readonly #redis: Redis
  readonly #prefix: string
  readonly #ttlMs: number

  constructor(redis: Redis, prefix: string, ttlMs: number) {
    this.#redis = redis
    this.#prefix = prefix
    this.#ttlMs = ttlMs
  }

  /**
   * Atomically records `nc` for `nonce`; false when it is not greater than the last one.
   * `clearOnAccept` keys are deleted in the same step when the count is accepted.
   */
  async accept(nonce: string, nc: string, clearOnAccept: string[] = []): Promise<boolean> {
    const result = await ACCEPT.run(
      this.#redis,
      [`${this.#prefix}nonce:${nonce}`, ...clearOnAccept],
      [String(Number.parseInt(nc, 16)), String(this.#ttlMs + 60_000)],
    )
    return result === 1
  }
}

/**
 * Brute-force protection shared by every edge instance through Redis.
 *
 * - Per source IP: `ipThreshold` failures inside `windowSec` block the IP; every new block
 *   within 24 h lasts twice as long as the previous one (capped).
 * - Per AOR: `aorThreshold` failures inside the window lock the AOR, but only when they came
 *   from at least two sources. A single-source attack is already stopped by the IP block, and
 *   counting it here too would let one attacker lock the real user out of their own phone.
 * - Allow-listed IPs are never IP-blocked (their failures still count against the AOR).
 */
import type { Redis } from 'ioredis'
import { IpMatcher } from '../stack/ip_matcher.ts'
import { RedisScript } from './redis_script.ts'

export interface BruteForceOptions {
  ipThreshold: number
  aorThreshold: number
  windowSec: number
  baseBlockSec: number
  maxBlockSec: number
  allowIps: string[]
}

export const DEFAULT_BRUTE_FORCE: BruteForceOptions = {
  ipThreshold: 10,
  aorThreshold: 10,
  windowSec: 600,
  baseBlockSec: 300,
  maxBlockSec: 86_400,
  allowIps: [],
}

const RECORD_FAILURE = new RedisScript(`
local function block(failKey, blockKey, levelKey, base, max)
  local level = redis.call('INCR', levelKey)
  redis.call('EXPIRE', levelKey, 86400)
  local duration = math.min(base * (2 ^ (level - 1)), max)
  redis.call('SET', blockKey, level, 'EX', duration)
  redis.call('DEL', failKey)
  return duration
end
local window = tonumber(ARGV[1])
local ipBlocked = 0
if ARGV[7] == '0' then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('EXPIRE', KEYS[1], window) end
  if n >= tonumber(ARGV[2]) then ipBlocked = block(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[4]), tonumber(ARGV[5])) end
end
local aorLocked = 0
local m = redis.call('INCR', KEYS[4])
if m == 1 then redis.call('EXPIRE', KEYS[4], window) end
redis.call('SADD', KEYS[7], ARGV[6])
redis.call('EXPIRE', KEYS[7], window)
if m >= tonumber(ARGV[3]) and redis.call('SCARD', KEYS[7]) >= 2 then
  aorLocked = block(KEYS[4], KEYS[5], KEYS[6], tonumber(ARGV[4]), tonumber(ARGV[5]))
  redis.call('DEL', KEYS[7])
end
return {ipBlocked, aorLocked}`)

export class BruteForceGuard {
  readonly #redis: Redis
  readonly #prefix: string
  readonly #options: BruteForceOptions
  readonly #allow: IpMatcher

  constructor(redis: Redis, prefix: string, options: Partial<BruteForceOptions> = {}) {
    this.#redis = redis
    this.#prefix = `${prefix}bf:`
    this.#options = { ...DEFAULT_BRUTE_FORCE, ...options }
    this.#allow = new IpMatcher(this.#options.allowIps)
  }

  #ipKeys(ip: string) {
    return [
      `${this.#prefix}ip:fail:${ip}`,
      `${this.#prefix}ip:block:${ip}`,
      `${this.#prefix}ip:level:${ip}`,
    ]
  }

  #aorKeys(organizationId: string, aor: string) {
    const base = `${this.#prefix}aor:${organizationId}:${aor}`
    return [`${base}:fail`, `${base}:block`, `${base}:level`, `${base}:sources`]
  }

  /** Seconds left on the source IP's block, 0 when not blocked. */
  async ipBlockedFor(ip: string): Promise<number> {
    if (this.#allow.matches(ip)) return 0
    return Math.max(0, await this.#redis.ttl(this.#ipKeys(ip)[1]))
  }

  async aorLockedFor(organizationId: string, aor: string): Promise<number> {
    return Math.max(0, await this.#redis.ttl(this.#aorKeys(organizationId, aor)[1]))
  }

  async recordFailure(
    ip: string,
    organizationId: string,
    aor: string,
  ): Promise<{ ipBlockedSec: number; aorLockedSec: number }> {
    const [ipFail, ipBlock, ipLevel] = this.#ipKeys(ip)
    const [aorFail, aorBlock, aorLevel, aorSources] = this.#aorKeys(organizationId, aor)
    const o = this.#options
    const result = (await RECORD_FAILURE.run(
      this.#redis,
      [ipFail, ipBlock, ipLevel, aorFail, aorBlock, aorLevel, aorSources],
      [
        o.windowSec,
        o.ipThreshold,
        o.aorThreshold,
        o.baseBlockSec,
        o.maxBlockSec,
        ip,
        this.#allow.matches(ip) ? '1' : '0',
      ],
    )) as [number, number]
    return { ipBlockedSec: result[0], aorLockedSec: result[1] }
  }

  /** The failure counters a successful login clears (not the escalation level). */
  successKeys(ip: string, organizationId: string, aor: string): string[] {
    const [aorFail, , , aorSources] = this.#aorKeys(organizationId, aor)
    return [this.#ipKeys(ip)[0], aorFail, aorSources]
  }

  async recordSuccess(ip: string, organizationId: string, aor: string): Promise<void> {
    await this.#redis.del(...this.successKeys(ip, organizationId, aor))
  }

  /** Operator action: lift a block immediately. */
  async unblockIp(ip: string): Promise<void> {
    await this.#redis.del(...this.#ipKeys(ip))
  }
}

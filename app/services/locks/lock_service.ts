import Redlock, { ExecutionError, ResourceLockedError } from 'redlock'
import redis from '@adonisjs/redis/services/main'
import config from '@adonisjs/core/services/config'
import ApiException from '#exceptions/api_exception'
import type { LockConfig } from '#config/lock'

let redlock: Redlock | undefined

/*
 * One Redlock for the process, on the app's own Redis connection (one node: no quorum).
 * Releasing is never retried: a lock that cannot be released has expired already.
 */
function instance() {
  redlock ??= new Redlock([redis.connection().ioConnection], { retryCount: 0 })
  return redlock
}

function settings(): LockConfig {
  return config.get<LockConfig>('lock')
}

/**
 * The lock could not be had within the budget: someone else is changing the resource.
 * The hint is how long the current holder may still keep it (its remaining TTL).
 */
async function lockedError(key: string, what: string) {
  const { retryDelayMs } = settings()
  const remaining = await redis
    .connection()
    .pttl(key)
    .catch(() => -1)
  const retryAfterMs = Math.max(remaining, retryDelayMs)
  return new ApiException(
    409,
    'E_RESOURCE_LOCKED',
    `This ${what} is being changed by someone else: retry in a moment`,
    {
      details: { retryAfterMs },
      headers: { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) },
    },
  )
}

/*
 * Redlock reports a lock held elsewhere and an unreachable Redis the same way; only the
 * first is a 409 for the client to retry, the second is an outage (left to the 5xx path).
 */
async function heldByOthers(error: ExecutionError) {
  const last = await error.attempts.at(-1)
  const votes = [...(last?.votesAgainst.values() ?? [])]
  return votes.length > 0 && votes.every((vote) => vote instanceof ResourceLockedError)
}

/**
 * Runs `fn` while holding the Redis lock `key`, released afterwards even when `fn` throws.
 * The lock only keeps writers (and routing reads) from interleaving; correctness still
 * rests on PostgreSQL transactions and constraints, so an expired lock cannot corrupt data.
 */
export async function withLock<T>(key: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquire(key, what)
  try {
    return await fn()
  } finally {
    await lock.release().catch(() => {})
  }
}

/*
 * Issues the fencing token of a lock the caller still holds, in one script so no token is
 * handed out for a lock that already expired. The counter starts from the Redis server's
 * clock in microseconds, so a counter lost with Redis data (flush, failover, expiry) comes
 * back above every token issued before it instead of restarting at 1 and locking every
 * writer out. It expires a day after its last use: restarting from the clock is safe.
 * (Strings, not Lua numbers, for the seed: Lua prints a double with 14 digits.)
 */
const FENCE_SCRIPT = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return false end
if redis.call('exists', KEYS[2]) == 0 then
  local now = redis.call('time')
  redis.call('set', KEYS[2], now[1] .. string.format('%06d', tonumber(now[2])))
end
local token = redis.call('incr', KEYS[2])
redis.call('pexpire', KEYS[2], 86400000)
return token
`

export function fenceKey(key: string) {
  return `fence:${key}`
}

/** The holder's lock expired before it wrote: a newer holder may have written since. */
export function staleLockError(what: string) {
  return new ApiException(
    409,
    'E_STALE_LOCK',
    `This ${what} was being changed but the change lost its lock before it was saved: retry`,
  )
}

/**
 * As `withLock`, and `fn` also gets a fencing token: larger than any token issued for `key`
 * before. The write it guards must store the token and refuse to happen when the stored one
 * is larger (`assertFenced`): a holder paused past its TTL (GC, SIGSTOP, a slow disk) then
 * finds its write rejected instead of overwriting what the next holder wrote.
 */
export async function withFencedLock<T>(
  key: string,
  what: string,
  fn: (token: number) => Promise<T>,
): Promise<T> {
  const lock = await acquire(key, what)
  try {
    const token = await redis.connection().eval(FENCE_SCRIPT, 2, key, fenceKey(key), lock.value)
    if (token === null) throw staleLockError(what)
    return await fn(Number(token))
  } finally {
    await lock.release().catch(() => {})
  }
}

/**
 * The check of the fenced write, inside its transaction with the row locked (FOR UPDATE):
 * equal is the same holder writing again, smaller is a newer holder that wrote already.
 */
export function assertFenced(stored: number, token: number, what: string) {
  if (stored > token) throw staleLockError(what)
}

async function acquire(key: string, what: string) {
  const { ttlMs, retryCount, retryDelayMs, retryJitterMs } = settings()
  try {
    return await instance().acquire([key], ttlMs, {
      retryCount,
      retryDelay: retryDelayMs,
      retryJitter: retryJitterMs,
    })
  } catch (error) {
    if (error instanceof ExecutionError && (await heldByOthers(error))) {
      throw await lockedError(key, what)
    }
    throw error
  }
}

/** For tests and tools: takes a lock without running anything (the caller releases it). */
export function acquireLock(key: string, ttlMs: number) {
  return instance().acquire([key], ttlMs, { retryCount: 0 })
}

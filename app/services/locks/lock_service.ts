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
  const { ttlMs, retryCount, retryDelayMs, retryJitterMs } = settings()
  let lock
  try {
    lock = await instance().acquire([key], ttlMs, {
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
  try {
    return await fn()
  } finally {
    await lock.release().catch(() => {})
  }
}

/** For tests and tools: takes a lock without running anything (the caller releases it). */
export function acquireLock(key: string, ttlMs: number) {
  return instance().acquire([key], ttlMs, { retryCount: 0 })
}

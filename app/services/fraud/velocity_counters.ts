import redis from '@adonisjs/redis/services/main'
import {
  oldestLiveBucket,
  bucketOf,
  windowTotal,
  type WindowSpec,
} from '#services/fraud/velocity_window'

export type VelocityCounter = 'international_calls' | 'billable_seconds'

const keyOf = (organizationId: number, counter: VelocityCounter) =>
  `tollfraud:${organizationId}:${counter}`

/**
 * Adds `amount` to the tenant's bucket for `now` and returns the sliding-window total
 * including it. One hash per tenant and counter (field = bucket index), so concurrent
 * calls on several app processes all add to the same buckets atomically (HINCRBY); the
 * hash expires once its newest bucket has left the window.
 */
export async function addToWindow(
  organizationId: number,
  counter: VelocityCounter,
  amount: number,
  spec: WindowSpec,
  now = Date.now(),
) {
  const key = keyOf(organizationId, counter)
  const result = await redis
    .multi()
    .hincrby(key, String(bucketOf(now, spec)), Math.round(amount))
    .pexpire(key, spec.windowMs + spec.bucketMs)
    .hgetall(key)
    .exec()
  const raw = (result?.[2]?.[1] ?? {}) as Record<string, string>
  return totalOf(key, raw, now, spec)
}

export async function windowTotalOf(
  organizationId: number,
  counter: VelocityCounter,
  spec: WindowSpec,
  now = Date.now(),
) {
  const key = keyOf(organizationId, counter)
  return totalOf(key, await redis.hgetall(key), now, spec)
}

/** Forgets a tenant's windows, so lifting a suspension does not re-trigger on the next call. */
export async function resetWindows(organizationId: number) {
  await redis.del(
    keyOf(organizationId, 'international_calls'),
    keyOf(organizationId, 'billable_seconds'),
  )
}

async function totalOf(key: string, raw: Record<string, string>, now: number, spec: WindowSpec) {
  const buckets = new Map<number, number>()
  const stale: string[] = []
  const oldest = oldestLiveBucket(now, spec)
  for (const [field, value] of Object.entries(raw)) {
    if (Number(field) < oldest) stale.push(field)
    else buckets.set(Number(field), Number(value))
  }
  if (stale.length > 0) await redis.hdel(key, ...stale)
  return windowTotal(buckets, now, spec)
}

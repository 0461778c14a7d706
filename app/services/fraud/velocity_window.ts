/*
 * Sliding-window counters as fixed buckets: a window of W ms is held as buckets of B ms
 * (W a multiple of B), and the window's total at `now` is the sum of the buckets that lie
 * wholly inside (now - W, now] plus the oldest bucket weighted by the share of it still
 * inside the window. Memory is W/B numbers per tenant whatever the call rate, and the
 * error is bounded by one bucket's worth of events (it assumes they were spread evenly).
 */

export type WindowSpec = { windowMs: number; bucketMs: number }

export const HOUR_BY_MINUTE: WindowSpec = { windowMs: 3_600_000, bucketMs: 60_000 }
export const DAY_BY_15_MINUTES: WindowSpec = { windowMs: 86_400_000, bucketMs: 900_000 }

export function bucketOf(at: number, spec: WindowSpec) {
  return Math.floor(at / spec.bucketMs)
}

/** Buckets older than this index can never count again: they may be deleted. */
export function oldestLiveBucket(now: number, spec: WindowSpec) {
  return bucketOf(now - spec.windowMs, spec)
}

/**
 * The window total from bucket index → amount. The bucket holding `now - W` is only
 * partly inside: it counts for the fraction of it after `now - W`.
 */
export function windowTotal(buckets: Map<number, number>, now: number, spec: WindowSpec) {
  const start = now - spec.windowMs
  const oldest = bucketOf(start, spec)
  const current = bucketOf(now, spec)
  let total = 0
  for (const [index, amount] of buckets) {
    if (index > current || index < oldest) continue
    if (index === oldest) {
      const insideMs = (oldest + 1) * spec.bucketMs - start
      total += (amount * insideMs) / spec.bucketMs
    } else total += amount
  }
  return total
}

/** Whether adding to a window already at `total` goes past `limit` (the limit itself is fine). */
export function exceeds(total: number, limit: number) {
  return total > limit + 1e-9
}

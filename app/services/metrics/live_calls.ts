import redis from '@adonisjs/redis/services/main'
import { TERMINAL_STATES, type CallState } from '#services/calls/call_state'

/*
 * Live calls per organization for the `opbx_active_calls` gauge, kept in Redis so every
 * web instance reports the same figure: one sorted set per organization (call id → time
 * of its last live event), updated on each call state change. A call that never receives
 * a terminal event falls out after STALE_MS instead of being counted forever.
 */
const key = (organizationId: number) => `metrics:live-calls:${organizationId}`
const ORGANIZATIONS = 'metrics:live-calls:organizations'
const STALE_MS = 12 * 3600 * 1000

export async function trackLiveCall(organizationId: number, callId: string, state: CallState) {
  const now = Date.now()
  if (TERMINAL_STATES.includes(state)) {
    await redis.zrem(key(organizationId), callId)
    return
  }
  await redis
    .multi()
    .zadd(key(organizationId), now, callId)
    .pexpire(key(organizationId), STALE_MS)
    .sadd(ORGANIZATIONS, String(organizationId))
    .exec()
}

/** Organization id → live calls, dropping stale entries and organizations left at zero. */
export async function liveCallCounts() {
  const counts = new Map<number, number>()
  const organizations = await redis.smembers(ORGANIZATIONS)
  for (const id of organizations) {
    const organizationId = Number(id)
    await redis.zremrangebyscore(key(organizationId), '-inf', Date.now() - STALE_MS)
    const live = await redis.zcard(key(organizationId))
    counts.set(organizationId, live)
    if (live === 0) await redis.srem(ORGANIZATIONS, id)
  }
  return counts
}

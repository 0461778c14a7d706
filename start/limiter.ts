/*
 * HTTP rate limits (Redis store, shared by every web instance). Exceeding one answers 429
 * with Retry-After in the API error envelope.
 */
import limiter from '@adonisjs/limiter/services/main'

/** /api/v1: 60 requests a minute per authenticated user (per IP before authentication). */
export const apiThrottle = limiter.define('api', (ctx) => {
  const user = ctx.auth.user
  return limiter
    .allowRequests(60)
    .every('1 minute')
    .usingKey(user ? `user_${user.id}` : `ip_${ctx.request.ip()}`)
})

/* The execution plane's limits (/api/webhooks, /api/voice) are spent inside webhookAuth:
 * app/services/webhooks/webhook_rate_limit.ts. */

/**
 * Sign-in, password changes and token creation: 10 a minute per IP and account, so one
 * noisy client cannot lock out a colleague sharing its office IP.
 */
export const sensitiveThrottle = limiter.define('sensitive', (ctx) => {
  const email = ctx.request.input('email')
  const who = ctx.auth.user
    ? `user_${ctx.auth.user.id}`
    : `email_${String(email ?? '').toLowerCase()}`
  return limiter.allowRequests(10).every('1 minute').usingKey(`${ctx.request.ip()}_${who}`)
})

/*
 * rate-limiter-flexible defines its Lua command (rlflxIncr) on the shared connection when
 * its first store is built. With auto-pipelining (config/redis.ts), a batch opened earlier
 * in the same tick lacks that command: ioredis then gets one reply fewer than it has
 * callers and throws from its callback, which kills the process (redis/ioredis#1931; seen
 * here on a freshly started app under load). Building a Redis-backed limiter before the
 * server listens (bin/server.ts, tests/bootstrap.ts) defines the command before any
 * request can be in flight. Not at import: codegen and other ace commands import the
 * routes, and the Redis connection would keep them from exiting.
 */
export function defineLimiterScript() {
  limiter.use('redis', { requests: 1, duration: '1 minute' })
}

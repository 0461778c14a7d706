/*
 * HTTP rate limits (Redis store, shared by every web instance). Exceeding one answers 429
 * with Retry-After in the API error envelope.
 */
import limiter from '@adonisjs/limiter/services/main'
import env from '#start/env'

/** /api/v1: 60 requests a minute per authenticated user (per IP before authentication). */
export const apiThrottle = limiter.define('api', (ctx) => {
  const user = ctx.auth.user
  return limiter
    .allowRequests(60)
    .every('1 minute')
    .usingKey(user ? `user_${user.id}` : `ip_${ctx.request.ip()}`)
})

/**
 * Execution plane (/api/webhooks, /api/voice): a per-IP ceiling taken before anything is
 * looked up, against floods whatever they claim to be. The real budgets, 100 a minute per
 * tenant and IP for webhooks and 1,000 for voice (configurable per tenant), are spent in
 * webhookAuth (app/services/webhooks/webhook_rate_limit.ts) once the tenant is known.
 */
export const webhookThrottle = limiter.define('webhooks', (ctx) => {
  return limiter
    .allowRequests(env.get('WEBHOOK_IP_CEILING', 2000))
    .every('1 minute')
    .usingKey(`ip_${ctx.request.ip()}`)
})

export const voiceThrottle = limiter.define('voice', (ctx) => {
  return limiter
    .allowRequests(env.get('VOICE_IP_CEILING', 20_000))
    .every('1 minute')
    .usingKey(`ip_${ctx.request.ip()}`)
})

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

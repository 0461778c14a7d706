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

/** Inbound webhooks: 100 a minute per source IP (WEBHOOK_RATE_LIMIT changes it). */
export const webhookThrottle = limiter.define('webhooks', (ctx) => {
  return limiter
    .allowRequests(env.get('WEBHOOK_RATE_LIMIT', 100))
    .every('1 minute')
    .usingKey(`ip_${ctx.request.ip()}`)
})

/**
 * Voice routing: every call of a media edge comes from that edge's one address, so the
 * per-IP budget is the platform's call rate: 1,000 requests a minute by default
 * (VOICE_RATE_LIMIT), still a ceiling against a flood from a single source.
 */
export const voiceThrottle = limiter.define('voice', (ctx) => {
  return limiter
    .allowRequests(env.get('VOICE_RATE_LIMIT', 1000))
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

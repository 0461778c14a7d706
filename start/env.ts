/*
 * Environment variables are validated once, at boot. A missing or malformed value stops
 * the process with a message naming the variable, instead of failing later mid-request.
 */
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  APP_NAME: Env.schema.string.optional(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  APP_KEY: Env.schema.secret(),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  LOG_PRETTY: Env.schema.boolean.optional(),

  DB_HOST: Env.schema.string({ format: 'host' }),
  DB_PORT: Env.schema.number(),
  DB_USER: Env.schema.string(),
  DB_PASSWORD: Env.schema.string.optional(),
  DB_DATABASE: Env.schema.string(),
  DB_POOL_MAX: Env.schema.number.optional(),

  REDIS_HOST: Env.schema.string({ format: 'host' }),
  REDIS_PORT: Env.schema.number(),
  REDIS_PASSWORD: Env.schema.secret.optional(),
  REDIS_DB: Env.schema.number.optional(),

  SESSION_DRIVER: Env.schema.enum(['cookie', 'redis', 'memory'] as const),
  LIMITER_STORE: Env.schema.enum(['redis', 'memory'] as const),
  QUEUE_PREFIX: Env.schema.string.optional(),
  CORS_ORIGINS: Env.schema.string.optional(),
  STORAGE_ROOT: Env.schema.string.optional(),
  METRICS_TOKEN: Env.schema.string.optional(),
  VOIP_EDGE_CONTROL_URL: Env.schema.string.optional(),
  VOIP_EDGE_SIGNING_SECRET: Env.schema.secret.optional(),
  /* Where voip-edge keeps registrations in the shared Redis (its VOIP_EDGE_REDIS_PREFIX). */
  VOIP_EDGE_REDIS_PREFIX: Env.schema.string.optional(),
  SIP_DOMAIN_SUFFIX: Env.schema.string.optional(),
  WEBHOOK_RATE_LIMIT: Env.schema.number.optional(),
  VOICE_RATE_LIMIT: Env.schema.number.optional(),
  WEBHOOK_IP_CEILING: Env.schema.number.optional(),
  VOICE_IP_CEILING: Env.schema.number.optional(),
  /* Overload guard (app/middleware/overload_middleware.ts); 0 turns a check off. */
  OVERLOAD_MAX_IN_FLIGHT: Env.schema.number.optional(),
  OVERLOAD_MIN_IN_FLIGHT: Env.schema.number.optional(),
  OVERLOAD_TARGET_LATENCY_MS: Env.schema.number.optional(),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: Env.schema.number.optional(),
  OVERLOAD_PRIORITY_FACTOR: Env.schema.number.optional(),
  OVERLOAD_RETRY_AFTER_SECONDS: Env.schema.number.optional(),
  /* Development only: skips webhook authentication (ignored when NODE_ENV=production). */
  WEBHOOK_AUTH_BYPASS: Env.schema.boolean.optional(),

  SMTP_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  MAIL_FROM_ADDRESS: Env.schema.string.optional({ format: 'email' }),
  MAIL_FROM_NAME: Env.schema.string.optional(),
})

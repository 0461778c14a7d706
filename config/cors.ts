import env from '#start/env'
import { defineConfig } from '@adonisjs/cors'

/*
 * Browsers may call the API cross-origin only from the origins an operator lists in
 * CORS_ORIGINS (comma separated). Empty means same-origin only. API clients outside a
 * browser (servers, softphone provisioning) are not affected by CORS at all.
 */
const allowed = (env.get('CORS_ORIGINS') ?? '')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean)

const corsConfig = defineConfig({
  enabled: true,
  origin: (requestOrigin) => allowed.includes(requestOrigin),
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  headers: true,
  exposeHeaders: ['x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining'],
  credentials: false,
  maxAge: 600,
})

export default corsConfig

import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'
import { servedOverHttps } from '#config/app'

const shieldConfig = defineConfig({
  /*
   * Vite's dev server injects inline scripts and a websocket; production serves hashed
   * assets from 'self' only.
   */
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      scriptSrc: app.inProduction
        ? [`'self'`, '@nonce']
        : [`'self'`, `'unsafe-inline'`, '@viteUrl'],
      styleSrc: [`'self'`, `'unsafe-inline'`, '@viteUrl'],
      connectSrc: app.inProduction ? [`'self'`] : [`'self'`, 'ws:', '@viteUrl'],
      imgSrc: [`'self'`, 'data:'],
      fontSrc: [`'self'`, 'data:'],
      objectSrc: [`'none'`],
      frameAncestors: [`'none'`],
      baseUri: [`'self'`],
      formAction: [`'self'`],
    },
    reportOnly: false,
  },

  /*
   * /api uses bearer tokens, not cookies, so CSRF tokens would only get in the way of
   * machine clients; every other route needs one.
   */
  csrf: {
    enabled: true,
    exceptRoutes: (ctx) => ctx.request.url().startsWith('/api/'),
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },

  xFrame: { enabled: true, action: 'DENY' },

  /* HSTS is only meaningful (and only sent) when the app is served over HTTPS. */
  hsts: { enabled: servedOverHttps, maxAge: '180 days', includeSubDomains: true },

  contentTypeSniffing: { enabled: true },
})

export default shieldConfig

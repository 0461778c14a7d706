import env from '#start/env'
import { defineConfig } from '@adonisjs/core/http'

/**
 * APP_KEY encrypts cookies and secrets at rest (SIP passwords, trunk credentials).
 * Losing or changing it makes those unreadable: rotate it with the documented command only.
 */
export const appKey = env.get('APP_KEY')

/**
 * Secure cookies and HSTS follow the public URL rather than NODE_ENV: a production build
 * reached over plain http://localhost must still be able to keep a session.
 */
export const servedOverHttps = env.get('APP_URL').startsWith('https://')

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: true,
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: servedOverHttps,
    sameSite: 'lax',
  },
})

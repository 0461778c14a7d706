import { defineConfig } from '@adonisjs/auth'
import { tokensGuard } from '@adonisjs/auth/access_tokens'
import { sessionGuard, sessionUserProvider } from '@adonisjs/auth/session'
import { ApiUserProvider, WebUserProvider } from '#auth/user_providers'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/**
 * Three guards, one per kind of caller:
 * - web:   tenant users in the Inertia app (session cookie, optional remember-me)
 * - api:   tenant users and integrations on /api/v1 (opaque bearer tokens with abilities)
 * - staff: platform support staff; a separate table so a tenant can never hold staff rights
 */
const authConfig = defineConfig({
  default: 'web',
  guards: {
    web: sessionGuard({
      useRememberMeTokens: true,
      rememberMeTokensAge: '30 days',
      provider: new WebUserProvider({ model: () => import('#models/user') }),
    }),
    api: tokensGuard({
      provider: new ApiUserProvider({
        tokens: 'accessTokens',
        model: () => import('#models/user'),
      }),
    }),
    staff: sessionGuard({
      useRememberMeTokens: false,
      provider: sessionUserProvider({ model: () => import('#models/staff_user') }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}

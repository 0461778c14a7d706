/*
 * Control plane /api/v1. Each resource area registers its routes from its own file under
 * start/routes/api/, inside the group below (token auth, tenant, limits, password-reset
 * gate, token abilities), so every tenant endpoint gets the same protection.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { apiThrottle, sensitiveThrottle } from '#start/limiter'
import { tenantRouteFiles } from '#start/routes/api/index'

const ApiSessionController = () => import('#controllers/api/auth/session_controller')
const ProfilePasswordController = () => import('#controllers/api/profile/password_controller')
const OpenApiController = () => import('#controllers/api/openapi_controller')

const registrations = await Promise.all(tenantRouteFiles.map((load) => load()))

router
  .group(() => {
    router.get('/openapi.json', [OpenApiController, 'show']).as('api.openapi')
    router
      .post('/auth/login', [ApiSessionController, 'store'])
      .as('api.auth.login')
      .use(sensitiveThrottle)

    /* Reachable while a password change is pending: who am I, change it, sign out. */
    router
      .group(() => {
        router.get('/auth/me', [ApiSessionController, 'show']).as('api.auth.me')
        router.delete('/auth/session', [ApiSessionController, 'destroy']).as('api.auth.logout')
        router
          .put('/profile/password', [ProfilePasswordController, 'update'])
          .as('api.profile.password')
          .use(sensitiveThrottle)

        router
          .group(() => {
            for (const { default: register } of registrations) register()
          })
          .use([middleware.passwordReset(), middleware.tokenAbility()])
      })
      .use([middleware.auth({ guards: ['api'] }), middleware.tenant(), apiThrottle])
  })
  .prefix('/api/v1')
  .use(middleware.forceJson())

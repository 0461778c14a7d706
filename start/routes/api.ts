import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { apiThrottle, sensitiveThrottle } from '#start/limiter'

const ApiSessionController = () => import('#controllers/api/auth/session_controller')
const TokensController = () => import('#controllers/api/auth/tokens_controller')
const ProfilePasswordController = () => import('#controllers/api/profile/password_controller')
const UsersController = () => import('#controllers/api/users_controller')
const UserRestoreController = () => import('#controllers/api/users/restore_controller')
const OrganizationController = () => import('#controllers/api/organization_controller')
const OpenApiController = () => import('#controllers/api/openapi_controller')

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
            router.get('/auth/tokens', [TokensController, 'index']).as('api.tokens.index')
            router
              .post('/auth/tokens', [TokensController, 'store'])
              .as('api.tokens.store')
              .use(sensitiveThrottle)
            router
              .delete('/auth/tokens/:id', [TokensController, 'destroy'])
              .as('api.tokens.destroy')

            router
              .get('/organization', [OrganizationController, 'show'])
              .as('api.organization.show')
            router
              .put('/organization', [OrganizationController, 'update'])
              .as('api.organization.update')

            router.get('/users', [UsersController, 'index']).as('api.users.index')
            router.post('/users', [UsersController, 'store']).as('api.users.store')
            router.get('/users/:id', [UsersController, 'show']).as('api.users.show')
            router.patch('/users/:id', [UsersController, 'update']).as('api.users.update')
            router.put('/users/:id', [UsersController, 'update']).as('api.users.replace')
            router.delete('/users/:id', [UsersController, 'destroy']).as('api.users.destroy')
            router
              .post('/users/:id/restore', [UserRestoreController, 'store'])
              .as('api.users.restore')
          })
          .use([middleware.passwordReset(), middleware.tokenAbility()])
      })
      .use([middleware.auth({ guards: ['api'] }), middleware.tenant(), apiThrottle])
  })
  .prefix('/api/v1')
  .use(middleware.forceJson())

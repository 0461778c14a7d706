import router from '@adonisjs/core/services/router'
import { sensitiveThrottle } from '#start/limiter'

const TokensController = () => import('#controllers/api/auth/tokens_controller')
const UsersController = () => import('#controllers/api/users_controller')
const UserRestoreController = () => import('#controllers/api/users/restore_controller')
const OrganizationController = () => import('#controllers/api/organization_controller')

export default function registerIdentityRoutes() {
  router.get('/auth/tokens', [TokensController, 'index']).as('api.tokens.index')
  router
    .post('/auth/tokens', [TokensController, 'store'])
    .as('api.tokens.store')
    .use(sensitiveThrottle)
  router.delete('/auth/tokens/:id', [TokensController, 'destroy']).as('api.tokens.destroy')

  router.get('/organization', [OrganizationController, 'show']).as('api.organization.show')
  router.put('/organization', [OrganizationController, 'update']).as('api.organization.update')

  router.get('/users', [UsersController, 'index']).as('api.users.index')
  router.post('/users', [UsersController, 'store']).as('api.users.store')
  router.get('/users/:id', [UsersController, 'show']).as('api.users.show')
  router.patch('/users/:id', [UsersController, 'update']).as('api.users.update')
  router.put('/users/:id', [UsersController, 'update']).as('api.users.replace')
  router.delete('/users/:id', [UsersController, 'destroy']).as('api.users.destroy')
  router.post('/users/:id/restore', [UserRestoreController, 'store']).as('api.users.restore')
}

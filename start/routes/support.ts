import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { sensitiveThrottle } from '#start/limiter'

const SupportSessionController = () => import('#controllers/support/session_controller')
const SupportConsoleController = () => import('#controllers/support/console_controller')
const ImpersonationsController = () => import('#controllers/support/impersonations_controller')
const SystemController = () => import('#controllers/support/system_controller')

router
  .group(() => {
    router.get('/login', [SupportSessionController, 'create']).as('support.session.create')
    router
      .post('/login', [SupportSessionController, 'store'])
      .as('support.session.store')
      .use(sensitiveThrottle)
  })
  .prefix('/support')
  .use(middleware.guest({ guards: ['staff'] }))

router
  .group(() => {
    router.post('/logout', [SupportSessionController, 'destroy']).as('support.session.destroy')
    router.get('/', [SupportConsoleController, 'show']).as('support.console')
    router
      .post('/impersonations', [ImpersonationsController, 'store'])
      .as('support.impersonations.store')
    router
      .delete('/impersonations', [ImpersonationsController, 'destroy'])
      .as('support.impersonations.destroy')
  })
  .prefix('/support')
  .use(middleware.auth({ guards: ['staff'] }))

/* Platform operations: part of /api/v1 by path, but staff-authenticated (not a tenant token). */
router
  .post('/api/v1/system/reload', [SystemController, 'reload'])
  .as('api.system.reload')
  .use([middleware.forceJson(), middleware.auth({ guards: ['staff'] })])

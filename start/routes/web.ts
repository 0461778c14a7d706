import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { sensitiveThrottle } from '#start/limiter'

const SessionController = () => import('#controllers/web/session_controller')
const PasswordController = () => import('#controllers/web/password_controller')
const DashboardController = () => import('#controllers/web/dashboard_controller')

router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('session.create')
    router.post('/login', [SessionController, 'store']).as('session.store').use(sensitiveThrottle)
  })
  .use(middleware.guest({ guards: ['web'] }))

router
  .group(() => {
    router.post('/logout', [SessionController, 'destroy']).as('session.destroy')
    router.get('/password/change', [PasswordController, 'edit']).as('password.edit')
    router
      .put('/password', [PasswordController, 'update'])
      .as('password.update')
      .use([sensitiveThrottle, middleware.denyWhileImpersonating()])

    router
      .group(() => {
        router.get('/', [DashboardController, 'show']).as('dashboard')
      })
      .use(middleware.passwordReset())
  })
  .use([middleware.auth({ guards: ['web'] }), middleware.tenant()])

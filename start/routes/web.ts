import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { sensitiveThrottle } from '#start/limiter'

const SessionController = () => import('#controllers/web/session_controller')
const PasswordController = () => import('#controllers/web/password_controller')
const DashboardController = () => import('#controllers/web/dashboard_controller')
const WebUsersController = () => import('#controllers/web/users_controller')
const WebExtensionsController = () => import('#controllers/web/extensions_controller')
const PhoneController = () => import('#controllers/web/portal/phone_controller')
const PhoneSettingsController = () => import('#controllers/web/portal/phone_settings_controller')
const OrganizationSettingsController = () =>
  import('#controllers/web/organization_settings_controller')

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

        router.get('/extensions', [WebExtensionsController, 'index']).as('extensions.index')
        router.post('/extensions', [WebExtensionsController, 'store']).as('extensions.store')

        router.get('/phone', [PhoneController, 'show']).as('phone.show')
        router.put('/phone/extensions/:id/dnd', [PhoneSettingsController, 'dnd']).as('phone.dnd')
        router
          .put('/phone/extensions/:id/forwarding', [PhoneSettingsController, 'forwarding'])
          .as('phone.forwarding')
        router
          .delete('/phone/voicemail/:id', [PhoneSettingsController, 'deleteMessage'])
          .as('phone.voicemail.destroy')

        router.get('/users', [WebUsersController, 'index']).as('users.index')
        router.post('/users', [WebUsersController, 'store']).as('users.store')
        router.patch('/users/:id', [WebUsersController, 'update']).as('users.update')
        router.delete('/users/:id', [WebUsersController, 'destroy']).as('users.destroy')

        router
          .get('/settings/organization', [OrganizationSettingsController, 'edit'])
          .as('settings.organization.edit')
        router
          .put('/settings/organization', [OrganizationSettingsController, 'update'])
          .as('settings.organization.update')
          .use(middleware.denyWhileImpersonating())
      })
      .use(middleware.passwordReset())
  })
  .use([middleware.auth({ guards: ['web'] }), middleware.tenant()])

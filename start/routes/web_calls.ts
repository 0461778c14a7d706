/*
 * Web pages for calls (history, live, dashboard feeds), the self-service portal additions,
 * settings extras and password recovery. Same middleware as start/routes/web.ts.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { sensitiveThrottle } from '#start/limiter'

const PasswordResetController = () => import('#controllers/web/auth/password_reset_controller')

router
  .group(() => {
    router.get('/password/forgot', [PasswordResetController, 'create']).as('password.forgot')
    router
      .post('/password/forgot', [PasswordResetController, 'store'])
      .as('password.forgot.store')
      .use(sensitiveThrottle)
    router
      .get('/password/reset/:token', [PasswordResetController, 'edit'])
      .as('password.reset.edit')
    router
      .post('/password/reset/:token', [PasswordResetController, 'update'])
      .as('password.reset.update')
      .use(sensitiveThrottle)
  })
  .use(middleware.guest({ guards: ['web'] }))

const CallHistoryController = () => import('#controllers/web/calls/history_controller')
const LiveCallsController = () => import('#controllers/web/calls/live_calls_controller')

router
  .group(() => {
    router.get('/calls', [CallHistoryController, 'index']).as('calls.index')
    router.get('/calls/export.csv', [CallHistoryController, 'export']).as('calls.export')
    router.get('/calls/live', [LiveCallsController, 'index']).as('calls.live')
    router.get('/calls/live/events', [LiveCallsController, 'events']).as('calls.live.events')
    router.post('/calls/live/:id/hangup', [LiveCallsController, 'hangup']).as('calls.live.hangup')
    router
      .post('/calls/live/:id/transfer', [LiveCallsController, 'transfer'])
      .as('calls.live.transfer')
    router.get('/calls/:id', [CallHistoryController, 'show']).as('calls.show').where('id', /^\d+$/)
  })
  .use([middleware.auth({ guards: ['web'] }), middleware.tenant(), middleware.passwordReset()])

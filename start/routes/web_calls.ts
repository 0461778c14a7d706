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
const PbxSettingsController = () => import('#controllers/web/settings/pbx_settings_controller')
const TokensController = () => import('#controllers/web/settings/tokens_controller')
const AuditLogController = () => import('#controllers/web/settings/audit_log_controller')
const PortalSettingsController = () => import('#controllers/web/portal/portal_settings_controller')

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
    router.get('/settings/pbx', [PbxSettingsController, 'edit']).as('settings.pbx.edit')
    router
      .put('/settings/pbx', [PbxSettingsController, 'update'])
      .as('settings.pbx.update')
      .use(middleware.denyWhileImpersonating())
    router
      .post('/settings/webhook-secrets/rotate', [PbxSettingsController, 'rotate'])
      .as('settings.webhook_secrets.rotate')
      .use([sensitiveThrottle, middleware.denyWhileImpersonating()])
    router
      .delete('/settings/webhook-secrets/:id', [PbxSettingsController, 'revoke'])
      .as('settings.webhook_secrets.revoke')
      .use(middleware.denyWhileImpersonating())

    router.get('/settings/tokens', [TokensController, 'index']).as('settings.tokens.index')
    router
      .post('/settings/tokens', [TokensController, 'store'])
      .as('settings.tokens.store')
      .use([sensitiveThrottle, middleware.denyWhileImpersonating()])
    router
      .delete('/settings/tokens/:id', [TokensController, 'destroy'])
      .as('settings.tokens.destroy')
      .use(middleware.denyWhileImpersonating())

    router.get('/settings/audit', [AuditLogController, 'index']).as('settings.audit.index')

    router
      .put('/phone/extensions/:id/follow-me', [PortalSettingsController, 'followMe'])
      .as('phone.follow_me')
    router
      .put('/phone/extensions/:id/voicemail-box', [PortalSettingsController, 'voicemailBox'])
      .as('phone.voicemail_box')
    router
      .post('/phone/extensions/:id/voicemail-box/greeting', [PortalSettingsController, 'greeting'])
      .as('phone.voicemail_box.greeting')

    router.get('/calls/:id', [CallHistoryController, 'show']).as('calls.show').where('id', /^\d+$/)
  })
  .use([middleware.auth({ guards: ['web'] }), middleware.tenant(), middleware.passwordReset()])

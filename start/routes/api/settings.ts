import router from '@adonisjs/core/services/router'
import { sensitiveThrottle } from '#start/limiter'

const SettingsController = () => import('#controllers/api/settings/settings_controller')
const WebhookSecretsController = () =>
  import('#controllers/api/settings/webhook_secrets_controller')
const CallLogsController = () => import('#controllers/api/call_logs/call_logs_controller')
const CdrsController = () => import('#controllers/api/call_logs/cdrs_controller')
const CallTimelineController = () => import('#controllers/api/call_logs/call_timeline_controller')
const ProfileController = () => import('#controllers/api/profile/profile_controller')
const OutboundSuspensionController = () =>
  import('#controllers/api/settings/outbound_suspension_controller')

/* /api/v1 routes of the settings area (see docs/development.md). */
export default function registerSettingsRoutes() {
  router.get('/settings', [SettingsController, 'show']).as('api.settings.show')
  router.put('/settings', [SettingsController, 'update']).as('api.settings.update')
  router
    .get('/settings/outbound-suspension', [OutboundSuspensionController, 'show'])
    .as('api.outbound_suspension.show')
  router
    .delete('/settings/outbound-suspension', [OutboundSuspensionController, 'destroy'])
    .as('api.outbound_suspension.destroy')

  router
    .get('/settings/webhook-secrets', [WebhookSecretsController, 'index'])
    .as('api.webhook_secrets.index')
  router
    .post('/settings/webhook-secrets/rotate', [WebhookSecretsController, 'rotate'])
    .as('api.webhook_secrets.rotate')
    .use(sensitiveThrottle)
  router
    .delete('/settings/webhook-secrets/:id', [WebhookSecretsController, 'destroy'])
    .as('api.webhook_secrets.destroy')

  /* export.csv before :id, and :id numeric, so the file name is never taken for an id. */
  router.get('/call-logs/export.csv', [CallLogsController, 'export']).as('api.call_logs.export')
  router.get('/call-logs', [CallLogsController, 'index']).as('api.call_logs.index')
  router
    .get('/call-logs/:id', [CallLogsController, 'show'])
    .where('id', router.matchers.number())
    .as('api.call_logs.show')
  router
    .get('/call-logs/:id/recording', [CallLogsController, 'recording'])
    .where('id', router.matchers.number())
    .as('api.call_logs.recording')
  router
    .get('/call-logs/:id/timeline', [CallTimelineController, 'show'])
    .where('id', router.matchers.number())
    .as('api.call_logs.timeline')

  router.get('/cdrs', [CdrsController, 'index']).as('api.cdrs.index')
  router.get('/cdrs/:id', [CdrsController, 'show']).as('api.cdrs.show')

  router.get('/profile', [ProfileController, 'show']).as('api.profile.show')
  router
    .put('/profile', [ProfileController, 'update'])
    .as('api.profile.update')
    .use(sensitiveThrottle)
}

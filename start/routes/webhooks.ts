/*
 * Execution plane: session updates and CDRs from Cloudonix or our own voip-edge, and the
 * seed plan's compatibility call webhooks. Not under /api/v1: no user tokens here, the
 * sender is authenticated by the webhook middleware (docs/webhooks.md).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const CloudonixWebhooksController = () =>
  import('#controllers/webhooks/cloudonix_webhooks_controller')
const CompatWebhooksController = () => import('#controllers/webhooks/compat_webhooks_controller')

router
  .group(() => {
    router
      .post('/cloudonix/session-update', [CloudonixWebhooksController, 'sessionUpdate'])
      .as('webhooks.cloudonix.session_update')
    router.post('/cloudonix/cdr', [CloudonixWebhooksController, 'cdr']).as('webhooks.cloudonix.cdr')
    router
      .post('/call-initiated', [CompatWebhooksController, 'initiated'])
      .as('webhooks.call_initiated')
    router
      .post('/call-answered', [CompatWebhooksController, 'answered'])
      .as('webhooks.call_answered')
    router.post('/call-ended', [CompatWebhooksController, 'ended']).as('webhooks.call_ended')
    router.post('/call-status', [CompatWebhooksController, 'status']).as('webhooks.call_status')
  })
  .prefix('/api/webhooks')
  // Rate limits (per-IP ceiling, per-tenant budget) are spent inside webhookAuth.
  .use([middleware.forceJson(), middleware.webhookAuth(), middleware.webhookIdempotency()])

/*
 * Execution plane: voice routing requests and their action callbacks (CXML responses).
 * Cloudonix's voice application may be configured with GET (its documented default), so
 * every endpoint answers both methods. The sender is authenticated (edge HMAC or the
 * tenant's bearer) and retries are deduplicated by the webhook middleware, in that order.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const VoiceController = () => import('#controllers/voice/voice_controller')

router
  .group(() => {
    router.route('/route', ['GET', 'POST'], [VoiceController, 'route']).as('voice.route')
    router
      .route('/dial-result', ['GET', 'POST'], [VoiceController, 'dialResult'])
      .as('voice.dial_result')
    router
      .route('/ring-group-callback', ['GET', 'POST'], [VoiceController, 'ringGroupCallback'])
      .as('voice.ring_group_callback')
    router.route('/ivr-input', ['GET', 'POST'], [VoiceController, 'ivrInput']).as('voice.ivr_input')
    router
      .route('/conference-pin', ['GET', 'POST'], [VoiceController, 'conferencePin'])
      .as('voice.conference_pin')
    router
      .route('/voicemail-complete', ['GET', 'POST'], [VoiceController, 'voicemailComplete'])
      .as('voice.voicemail_complete')
    router
      .route('/voicemail-menu', ['GET', 'POST'], [VoiceController, 'voicemailMenu'])
      .as('voice.voicemail_menu')
  })
  .prefix('/api/voice')
  // Rate limits (per-IP ceiling, per-tenant budget) are spent inside webhookAuth.
  .use([middleware.webhookAuth(), middleware.webhookIdempotency()])

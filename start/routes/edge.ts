/*
 * Requests from our own voip-edge, signed with the shared edge secret (contract §6.2).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const SipRealmsController = () => import('#controllers/edge/sip_realms_controller')
const EdgeTrunksController = () => import('#controllers/edge/trunks_controller')
const EdgeRecordingsController = () => import('#controllers/edge/recordings_controller')
const EdgeMailboxesController = () => import('#controllers/edge/mailboxes_controller')

router
  .group(() => {
    router.get('/sip-realms/:realm', [SipRealmsController, 'show']).as('edge.realms.show')
    router
      .get('/sip-realms/:realm/users/:username', [SipRealmsController, 'user'])
      .as('edge.realms.user')
    router
      .get('/organizations/:organizationId/outbound-plan', [EdgeTrunksController, 'plan'])
      .as('edge.outbound_plan')
    router
      .get('/registration-trunks', [EdgeTrunksController, 'registrationTrunks'])
      .as('edge.registration_trunks')
    router.get('/trunks/by-source/:ip', [EdgeTrunksController, 'bySource']).as('edge.trunks.source')
    router
      .get('/organizations/:organizationId/mailboxes/:username', [EdgeMailboxesController, 'show'])
      .as('edge.mailboxes.show')
  })
  .prefix('/api/edge')
  .use([middleware.forceJson(), middleware.edgeSignature()])

// A binary body: the controller checks the edge signature over the body's SHA-256 itself.
router
  .post('/api/edge/recordings', [EdgeRecordingsController, 'store'])
  .as('edge.recordings.store')
  .use(middleware.forceJson())

import router from '@adonisjs/core/services/router'

const ActiveCallsController = () => import('#controllers/api/calls/active_calls_controller')

/* /api/v1 live call control (see docs/operations.md): list, hang up, transfer. */
export default function registerCallRoutes() {
  router.get('/calls/active', [ActiveCallsController, 'index']).as('api.calls.active')
  router
    .post('/calls/:id/hangup', [ActiveCallsController, 'hangup'])
    .where('id', router.matchers.number())
    .as('api.calls.hangup')
  router
    .post('/calls/:id/transfer', [ActiveCallsController, 'transfer'])
    .where('id', router.matchers.number())
    .as('api.calls.transfer')
}

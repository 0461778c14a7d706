import router from '@adonisjs/core/services/router'

const TrunksController = () => import('#controllers/api/trunks_controller')
const TrunkRestoreController = () => import('#controllers/api/trunks/restore_controller')
const RoutesController = () => import('#controllers/api/outbound_routes_controller')
const RouteRestoreController = () => import('#controllers/api/outbound_routes/restore_controller')
const ResolveController = () => import('#controllers/api/outbound_routes/resolve_controller')
const RulesController = () => import('#controllers/api/outbound_rules_controller')
const RuleRestoreController = () => import('#controllers/api/outbound_rules/restore_controller')

/* /api/v1 routes of the trunks area (see docs/development.md). */
export default function registerTrunksRoutes() {
  router.get('/trunks', [TrunksController, 'index']).as('api.trunks.index')
  router.post('/trunks', [TrunksController, 'store']).as('api.trunks.store')
  router.get('/trunks/:id', [TrunksController, 'show']).as('api.trunks.show')
  router.patch('/trunks/:id', [TrunksController, 'update']).as('api.trunks.update')
  router.put('/trunks/:id', [TrunksController, 'update']).as('api.trunks.replace')
  router.delete('/trunks/:id', [TrunksController, 'destroy']).as('api.trunks.destroy')
  router.post('/trunks/:id/restore', [TrunkRestoreController, 'store']).as('api.trunks.restore')

  router.get('/outbound-routes', [RoutesController, 'index']).as('api.outbound_routes.index')
  router.post('/outbound-routes', [RoutesController, 'store']).as('api.outbound_routes.store')
  router
    .post('/outbound-routes/resolve', [ResolveController, 'store'])
    .as('api.outbound_routes.resolve')
  router.get('/outbound-routes/:id', [RoutesController, 'show']).as('api.outbound_routes.show')
  router
    .patch('/outbound-routes/:id', [RoutesController, 'update'])
    .as('api.outbound_routes.update')
  router.put('/outbound-routes/:id', [RoutesController, 'update']).as('api.outbound_routes.replace')
  router
    .delete('/outbound-routes/:id', [RoutesController, 'destroy'])
    .as('api.outbound_routes.destroy')
  router
    .post('/outbound-routes/:id/restore', [RouteRestoreController, 'store'])
    .as('api.outbound_routes.restore')

  router.get('/outbound-rules', [RulesController, 'index']).as('api.outbound_rules.index')
  router.post('/outbound-rules', [RulesController, 'store']).as('api.outbound_rules.store')
  router.get('/outbound-rules/:id', [RulesController, 'show']).as('api.outbound_rules.show')
  router.patch('/outbound-rules/:id', [RulesController, 'update']).as('api.outbound_rules.update')
  router.put('/outbound-rules/:id', [RulesController, 'update']).as('api.outbound_rules.replace')
  router
    .delete('/outbound-rules/:id', [RulesController, 'destroy'])
    .as('api.outbound_rules.destroy')
  router
    .post('/outbound-rules/:id/restore', [RuleRestoreController, 'store'])
    .as('api.outbound_rules.restore')
}

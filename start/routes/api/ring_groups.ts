import router from '@adonisjs/core/services/router'

const RingGroupsController = () => import('#controllers/api/ring_groups_controller')
const RestoreController = () => import('#controllers/api/ring_groups/restore_controller')

/* /api/v1 routes of the ring_groups area (see docs/development.md). */
export default function registerRingGroupsRoutes() {
  router.get('/ring-groups', [RingGroupsController, 'index']).as('api.ring_groups.index')
  router.post('/ring-groups', [RingGroupsController, 'store']).as('api.ring_groups.store')
  router.get('/ring-groups/:id', [RingGroupsController, 'show']).as('api.ring_groups.show')
  router.patch('/ring-groups/:id', [RingGroupsController, 'update']).as('api.ring_groups.update')
  router.put('/ring-groups/:id', [RingGroupsController, 'update']).as('api.ring_groups.replace')
  router.delete('/ring-groups/:id', [RingGroupsController, 'destroy']).as('api.ring_groups.destroy')
  router
    .post('/ring-groups/:id/restore', [RestoreController, 'store'])
    .as('api.ring_groups.restore')
}

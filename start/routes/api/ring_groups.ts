import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the ring_groups area (see docs/development.md). */
export default function registerRingGroupsRoutes() {
  void router
}

import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the trunks area (see docs/development.md). */
export default function registerTrunksRoutes() {
  void router
}

import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the ivr area (see docs/development.md). */
export default function registerIvrRoutes() {
  void router
}

import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the extensions area (see docs/development.md). */
export default function registerExtensionsRoutes() {
  void router
}

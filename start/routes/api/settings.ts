import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the settings area (see docs/development.md). */
export default function registerSettingsRoutes() {
  void router
}

import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the media area (see docs/development.md). */
export default function registerMediaRoutes() {
  void router
}

import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the business_hours area (see docs/development.md). */
export default function registerBusinessHoursRoutes() {
  void router
}

import router from '@adonisjs/core/services/router'

/* /api/v1 routes of the phone_numbers area (see docs/development.md). */
export default function registerPhoneNumbersRoutes() {
  void router
}

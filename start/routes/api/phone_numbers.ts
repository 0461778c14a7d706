import router from '@adonisjs/core/services/router'

const PhoneNumbersController = () => import('#controllers/api/phone_numbers_controller')

/* /api/v1 routes of the phone_numbers area: DIDs and where their calls go. */
export default function registerPhoneNumbersRoutes() {
  router.get('/phone-numbers', [PhoneNumbersController, 'index']).as('api.phone_numbers.index')
  router.post('/phone-numbers', [PhoneNumbersController, 'store']).as('api.phone_numbers.store')
  router.get('/phone-numbers/:id', [PhoneNumbersController, 'show']).as('api.phone_numbers.show')
  router
    .patch('/phone-numbers/:id', [PhoneNumbersController, 'update'])
    .as('api.phone_numbers.update')
  router
    .delete('/phone-numbers/:id', [PhoneNumbersController, 'destroy'])
    .as('api.phone_numbers.destroy')
  router
    .post('/phone-numbers/:id/restore', [PhoneNumbersController, 'restore'])
    .as('api.phone_numbers.restore')
}

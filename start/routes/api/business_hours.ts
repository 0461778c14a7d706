import router from '@adonisjs/core/services/router'

const BusinessHoursController = () => import('#controllers/api/business_hours_controller')

/* /api/v1 routes of the business_hours area (see docs/business_hours.md). */
export default function registerBusinessHoursRoutes() {
  const base = '/business-hours'
  const name = (action: string) => `api.business_hours.${action}`
  router.get(base, [BusinessHoursController, 'index']).as(name('index'))
  router.post(base, [BusinessHoursController, 'store']).as(name('store'))
  router.get(`${base}/:id`, [BusinessHoursController, 'show']).as(name('show'))
  router.get(`${base}/:id/status`, [BusinessHoursController, 'status']).as(name('status'))
  router.patch(`${base}/:id`, [BusinessHoursController, 'update']).as(name('update'))
  router.put(`${base}/:id`, [BusinessHoursController, 'update']).as(name('replace'))
  router.delete(`${base}/:id`, [BusinessHoursController, 'destroy']).as(name('destroy'))
  router.post(`${base}/:id/restore`, [BusinessHoursController, 'restore']).as(name('restore'))
  router.post(`${base}/:id/duplicate`, [BusinessHoursController, 'duplicate']).as(name('duplicate'))
}

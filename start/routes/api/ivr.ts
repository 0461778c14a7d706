import router from '@adonisjs/core/services/router'

const IvrMenusController = () => import('#controllers/api/ivr_menus_controller')

/* /api/v1 routes of the ivr area: menus, with their options written as part of the menu. */
export default function registerIvrRoutes() {
  const menus = '/ivr-menus'
  router.get(menus, [IvrMenusController, 'index']).as('api.ivr_menus.index')
  router.post(menus, [IvrMenusController, 'store']).as('api.ivr_menus.store')
  router.get(`${menus}/:id`, [IvrMenusController, 'show']).as('api.ivr_menus.show')
  router.patch(`${menus}/:id`, [IvrMenusController, 'update']).as('api.ivr_menus.update')
  router.delete(`${menus}/:id`, [IvrMenusController, 'destroy']).as('api.ivr_menus.destroy')
  router.post(`${menus}/:id/restore`, [IvrMenusController, 'restore']).as('api.ivr_menus.restore')
}

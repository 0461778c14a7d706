/*
 * Admin console resource pages (Inertia): extensions' edit/delete/restore, phone numbers,
 * ring groups, business hours, IVR menus, conference rooms, trunks, outbound routes,
 * voicemail boxes and prompts. Same middleware as the signed-in group of web.ts; every
 * action is authorized again by the API's policies inside the controllers.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Extensions = () => import('#controllers/web/admin/extensions_controller')
const PhoneNumbers = () => import('#controllers/web/admin/phone_numbers_controller')
const RingGroups = () => import('#controllers/web/admin/ring_groups_controller')
const BusinessHours = () => import('#controllers/web/admin/business_hours_controller')
const IvrMenus = () => import('#controllers/web/admin/ivr_menus_controller')
const ConferenceRooms = () => import('#controllers/web/admin/conference_rooms_controller')
const Trunks = () => import('#controllers/web/admin/trunks_controller')
const OutboundRoutes = () => import('#controllers/web/admin/outbound_routes_controller')
const VoicemailBoxes = () => import('#controllers/web/admin/voicemail_boxes_controller')
const Prompts = () => import('#controllers/web/admin/prompts_controller')

type Controller = typeof PhoneNumbers

/* List, create, edit, delete, restore: the five actions of a resource page. */
function resourcePage(path: string, name: string, controller: Controller) {
  router.get(path, [controller, 'index']).as(`admin.${name}.index`)
  router.post(path, [controller, 'store']).as(`admin.${name}.store`)
  router.patch(`${path}/:id`, [controller, 'update']).as(`admin.${name}.update`)
  router.delete(`${path}/:id`, [controller, 'destroy']).as(`admin.${name}.destroy`)
  router.post(`${path}/:id/restore`, [controller, 'restore']).as(`admin.${name}.restore`)
}

router
  .group(() => {
    router
      .group(() => {
        router.patch('/extensions/:id', [Extensions, 'update']).as('admin.extensions.update')
        router.delete('/extensions/:id', [Extensions, 'destroy']).as('admin.extensions.destroy')
        router
          .post('/extensions/:id/restore', [Extensions, 'restore'])
          .as('admin.extensions.restore')
        router
          .post('/extensions/:id/sip-password', [Extensions, 'rotate'])
          .as('admin.extensions.sip_password')

        resourcePage('/phone-numbers', 'phone_numbers', PhoneNumbers)
        resourcePage('/ring-groups', 'ring_groups', RingGroups)
        resourcePage('/business-hours', 'business_hours', BusinessHours)
        router
          .post('/business-hours/:id/duplicate', [BusinessHours, 'duplicate'])
          .as('admin.business_hours.duplicate')
        resourcePage('/ivr-menus', 'ivr_menus', IvrMenus)
        resourcePage('/conference-rooms', 'conference_rooms', ConferenceRooms)
        resourcePage('/trunks', 'trunks', Trunks)
        resourcePage('/outbound-routes', 'outbound_routes', OutboundRoutes)
        resourcePage('/prompts', 'prompts', Prompts as unknown as Controller)

        router.get('/voicemail-boxes', [VoicemailBoxes, 'index']).as('admin.voicemail_boxes.index')
        router
          .put('/voicemail-boxes/:id', [VoicemailBoxes, 'update'])
          .as('admin.voicemail_boxes.update')
        router
          .post('/voicemail-boxes/:id/greeting', [VoicemailBoxes, 'greeting'])
          .as('admin.voicemail_boxes.greeting')
      })
      .use(middleware.passwordReset())
  })
  .use([middleware.auth({ guards: ['web'] }), middleware.tenant()])

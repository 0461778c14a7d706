import router from '@adonisjs/core/services/router'

const ConferenceRoomsController = () => import('#controllers/api/conference_rooms_controller')
const RecordingsController = () => import('#controllers/api/recordings_controller')

/* /api/v1 routes of the media area (see docs/media.md). */
export default function registerMediaRoutes() {
  const rooms = '/conference-rooms'
  router.get(rooms, [ConferenceRoomsController, 'index']).as('api.conference_rooms.index')
  router.post(rooms, [ConferenceRoomsController, 'store']).as('api.conference_rooms.store')
  router.get(`${rooms}/:id`, [ConferenceRoomsController, 'show']).as('api.conference_rooms.show')
  router
    .patch(`${rooms}/:id`, [ConferenceRoomsController, 'update'])
    .as('api.conference_rooms.update')
  router
    .put(`${rooms}/:id`, [ConferenceRoomsController, 'update'])
    .as('api.conference_rooms.replace')
  router
    .delete(`${rooms}/:id`, [ConferenceRoomsController, 'destroy'])
    .as('api.conference_rooms.destroy')
  router
    .post(`${rooms}/:id/restore`, [ConferenceRoomsController, 'restore'])
    .as('api.conference_rooms.restore')

  router.get('/recordings', [RecordingsController, 'index']).as('api.recordings.index')
  router.post('/recordings', [RecordingsController, 'store']).as('api.recordings.store')
  router.get('/recordings/:id', [RecordingsController, 'show']).as('api.recordings.show')
  router.get('/recordings/:id/url', [RecordingsController, 'url']).as('api.recordings.url')
  router.patch('/recordings/:id', [RecordingsController, 'update']).as('api.recordings.update')
  router.put('/recordings/:id', [RecordingsController, 'update']).as('api.recordings.replace')
  router.delete('/recordings/:id', [RecordingsController, 'destroy']).as('api.recordings.destroy')
  router
    .post('/recordings/:id/restore', [RecordingsController, 'restore'])
    .as('api.recordings.restore')
}
